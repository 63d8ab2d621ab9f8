# The routes afgebroken in a period (coalitiemonitor): a partial index on `op` for the closing
# transitions only, so the monitor does not read every transition (README Prestaties).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routetool", "0010_p15b_gedeeltelijke_indexen"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="transitie",
            index=models.Index(
                condition=models.Q(("naar", "afgesloten")),
                fields=["op"],
                name="transitie_afgesloten_op",
            ),
        ),
    ]
