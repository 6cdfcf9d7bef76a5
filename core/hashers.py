from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane): Django's default parameters cost a
    2-core school server ~0.4 s of CPU and 100 MB per login."""

    memory_cost = 19456
    parallelism = 1
    time_cost = 2
