from django.shortcuts import render


def index(request):
    return render(request, "reports/index.html", {})


def dashboard(request):
    return render(request, "reports/dashboard.html", {})
