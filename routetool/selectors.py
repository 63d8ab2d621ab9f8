"""Route reads. `met_signalen(qs)` annotates each placement with one boolean per signal.

First version: no signal is computed yet (the routetool issue replaces this with the queries).
"""

from django.db.models import BooleanField, Value

SIGNALEN = [
    ("te_laat", "te laat"),
    ("niet_bevestigd", "niet bevestigd"),
    ("thuiszitrisico", "thuiszitrisico"),
    ("geen_stamschool", "geen stamschool"),
    ("lang_verblijf", "lang verblijf"),
]


def met_signalen(qs):
    return qs.annotate(
        **{f"signaal_{key}": Value(False, output_field=BooleanField()) for key, _ in SIGNALEN}
    )
