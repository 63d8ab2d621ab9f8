"""The suite's password hasher: production's PBKDF2 with one iteration.

Django 5.2 hashes with 1,000,000 PBKDF2 iterations, ~0.4 s of CPU on the CI machine, and the
suite makes a hash for every user a factory creates and every login it posts: minutes of the
run. The algorithm name stays `pbkdf2_sha256`, so a hash made here is still checked by
production's own hasher (it reads the iteration count from the hash) in the processes some
tests start (gunicorn, the Celery worker), which then upgrade it on a login as production would.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class SnelPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
