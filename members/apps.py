from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # core knows no app: members tells it which fields of a person are sensitive (the history masks
        # them by `can_see_sensitive`) and where exports are logged (docs/privacy.md).
        from core.audit import register_export_recorder
        from core.history import register_sensitive

        from .access import can_see_sensitive
        from .idnumber import mask_id_number
        from .models import ExportLog, Person
        from .models.people import mask_phone

        register_sensitive(Person, masks={"id_number": mask_id_number, "phone": mask_phone}, can_see=can_see_sensitive)
        register_export_recorder(ExportLog.objects.create)

        # The tree knows no people: members gives the officer form its person picker.
        from branches.forms import set_officer_person_field

        from .officers import officer_person_field

        set_officer_person_field(officer_person_field)
