from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from povertycase.dashboard import dashboard


@login_required
def home(request):
    return render(request, "home.html", dashboard(request.user, unit=request.GET.get("unit")))
