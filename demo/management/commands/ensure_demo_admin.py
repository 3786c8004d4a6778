"""Create the demo's administrator if the site has no superuser yet, and say how to log in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"
PASSWORD = "hematology-demo"  # noqa: S105 - a local demo account, printed on purpose


class Command(BaseCommand):
    help = "Create the demo admin user (admin / hematology-demo) unless a superuser exists."

    def handle(self, *args, **options):
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            User.objects.create_superuser(USERNAME, "admin@example.com", PASSWORD)
            self.stdout.write(self.style.SUCCESS("Created the demo administrator."))
        user = User.objects.filter(username=USERNAME, is_superuser=True).first()
        if user and user.check_password(PASSWORD):
            self.stdout.write(f"Admin: http://127.0.0.1:8000/admin/  user: {USERNAME}  password: {PASSWORD}")
        else:
            self.stdout.write("A superuser already exists; log in with its own credentials.")
