from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wiki", "0003_page_properties")]

    operations = [
        migrations.AddField(model_name="page", name="view_stamp", field=models.BigIntegerField(default=0)),
    ]
