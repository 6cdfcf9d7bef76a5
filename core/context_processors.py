from django.conf import settings


def site(request):
    return {"SCHOOL_NAME": settings.SCHOOL_NAME}
