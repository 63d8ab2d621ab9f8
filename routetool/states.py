"""The route states. The enum lives in `plaatsingen.fasen` (the placement stores its phase and
plaatsingen may not import routetool); this module keeps the route's own name for it."""

from plaatsingen.fasen import OPEN_FASEN, Fase

__all__ = ["OPEN_FASEN", "Fase"]
