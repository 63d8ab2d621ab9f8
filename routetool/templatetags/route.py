from django import template

from routetool.selectors import signalen_van

register = template.Library()


@register.filter
def signalen(plaatsing) -> list[tuple[str, str]]:
    """The (key, label) pairs of the signals set on a placement annotated by `met_signalen`."""
    return signalen_van(plaatsing)
