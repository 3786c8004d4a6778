"""manage.py epay_simulator --port 8766: the simulated Halyk epay bank over HTTP (token, status API, widget)."""

from django.core.management.base import BaseCommand

from booking.payments.bank import CLIENT_ID, CLIENT_SECRET, TERMINAL_ID
from booking.payments.simulator import EpaySimulatorServer


class Command(BaseCommand):
    help = "Serve a simulated Halyk epay (OAuth token, status API, payment-api.js) on localhost. No money is taken."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8766)

    def handle(self, *args, host, port, **options):
        server = EpaySimulatorServer(host=host, port=port)
        self.stdout.write(
            f"epay simulator on {server.base_url}\n"
            f"  EPAY_TOKEN_URL={server.token_url}\n"
            f"  EPAY_STATUS_URL={server.status_url}\n"
            f"  EPAY_SCRIPT_URL={server.script_url}\n"
            f"  EPAY_CLIENT_ID={CLIENT_ID} EPAY_CLIENT_SECRET={CLIENT_SECRET} EPAY_TERMINAL_ID={TERMINAL_ID}\n"
        )
        try:
            server.httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.httpd.server_close()
