"""The SWV acknowledges a new placement with one click (no fields)."""

from routetool import route
from routetool.forms import NotitieForm

from . import ActieSoort


class BevestigenForm(NotitieForm):
    pass


SOORT = ActieSoort(naam="bevestigen", codes=(route.BEVESTIGD,), formulier=BevestigenForm)
