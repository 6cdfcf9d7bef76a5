from django.shortcuts import render

from branches.permissions import get_for_user_or_404, scope

from .models import Person


def person_list(request):
    people = scope(request.user, Person.objects.select_related("organization"))[:50]
    return render(request, "members/person_list.html", {"people": people})


def person_detail(request, pk):
    person = get_for_user_or_404(request.user, Person.objects.select_related("organization"), pk=pk)
    return render(request, "members/person_detail.html", {"person": person})
