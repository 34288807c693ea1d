"""Hooks for apps that add to the demo county; households knows none of them (DESIGN.md:
dependencies flow households <- rectification <- inspections)."""

from django.dispatch import Signal

# sent before the register and demo accounts are deleted by `seed_demo --reset`
demo_resetting = Signal()
# sent after the register is built; kwargs: seed, today, report (a callable taking one line)
demo_seeded = Signal()
