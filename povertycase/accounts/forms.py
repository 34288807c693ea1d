"""Admin form of a user's profile: a leading post only for a township account, and at most one
active Party secretary and one head per township (VS-005 reads who holds each post)."""

from django import forms
from django.utils.translation import gettext as _

from .models import LeaderPost, Profile, Role


class ProfileAdminForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("role", "township", "village", "department", "phone", "leader_post")

    def clean(self):
        cleaned = super().clean()
        post = cleaned.get("leader_post")
        if not post:
            return cleaned
        if cleaned.get("role") != Role.TOWNSHIP:
            self.add_error("leader_post", _("Only a township account can hold a leading post."))
            return cleaned
        township = cleaned.get("township")
        if township is None:
            return cleaned  # the township field reports its own absence
        holders = Profile.objects.filter(township=township, leader_post=post, user__is_active=True)
        if self.instance.pk:
            holders = holders.exclude(pk=self.instance.pk)
        holder = holders.select_related("user").first()
        if holder is not None:
            self.add_error(
                "leader_post",
                _("%(township)s already has a %(post)s: %(name)s. Remove that post first.")
                % {
                    "township": township.name,
                    "post": LeaderPost(post).label,
                    "name": f"{holder.user.last_name}{holder.user.first_name}" or holder.user.username,
                },
            )
        return cleaned
