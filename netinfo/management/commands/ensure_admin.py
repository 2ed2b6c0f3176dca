import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a local admin account exists. The first time, create 'admin' with a random "
        "password and print it once; afterwards, do nothing. No password is kept in the code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account already exists.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the admin account. Username: {username}  Password: {password}\n"
                "Write the password down: it is shown only this once. To change it later: "
                f".venv/bin/python manage.py changepassword {username}"
            )
        )
