"""What the service app tells the apps above it, which it may not import: a volunteer
activity was recorded. Receivers run inside the recording transaction (the `learning`
app credits the volunteers' hours as class hours when the hospital counts them so)."""

from django.dispatch import Signal

# Sent with activity=ServiceActivity (its volunteers saved), by=user.
activity_recorded = Signal()
