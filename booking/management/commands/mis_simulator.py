"""Serve the MIS simulator over HTTP: `manage.py mis_simulator --port 8765`, then MIS_URL=http://127.0.0.1:8765/."""

from django.core.management.base import BaseCommand

from booking.mis.server import FAULTS, MisSimulatorServer


class Command(BaseCommand):
    help = "Serve the clinic's MIS simulator over HTTP with the MIS protocol (docs/booking.md, MIS)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        auth = parser.add_mutually_exclusive_group()
        auth.add_argument("--secret", default="", help="Ask for a JWT from /issuetoken (MIS_AUTH=jwt, MIS_SECRET).")
        auth.add_argument("--api-key", default="", help="Ask for this X-API-Key (MIS_AUTH=apikey, MIS_API_KEY).")
        parser.add_argument("--fault", choices=FAULTS, default="", help="Answer every call this odd way.")
        parser.add_argument("--slow-seconds", type=float, default=8.0)

    def handle(self, *args, host, port, secret, api_key, fault, slow_seconds, **options):
        server = MisSimulatorServer(
            (host, port), secret=secret, api_key=api_key, slow_seconds=slow_seconds, verbose=options["verbosity"] > 1
        )
        server.set_fault(fault)
        self.stdout.write(f"MIS simulator on {server.url} (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
