from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from households.queries import households_summary


@login_required
def home(request):
    return render(request, "home.html", {"summary": households_summary(user=request.user)})
