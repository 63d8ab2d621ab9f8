"""The default kind: an action done with an optional short note."""

from routetool.forms import NotitieForm

from . import ActieSoort

SOORT = ActieSoort(naam="notitie", codes=(), formulier=NotitieForm)
