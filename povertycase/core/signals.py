from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import codes
from .models import CodeList


@receiver([post_save, post_delete], sender=CodeList)
def forget_cached_codes(**kwargs):
    codes.clear_cache()
