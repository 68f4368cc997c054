"""The second factor for staff, on django-two-factor-auth and django-otp (issue 15)."""
