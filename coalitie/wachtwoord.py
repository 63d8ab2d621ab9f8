"""Password rules with Dutch messages where Django's own translation is missing."""

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError


class MinimaleLengte(MinimumLengthValidator):
    # Django 5.2's nl catalogue lacks the plural form of this message, so it came out English.
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Dit wachtwoord is te kort. Het moet minstens {self.min_length} tekens bevatten.",
                code="password_too_short",
                params={"min_length": self.min_length},
            )
