"""The Python SDK's webhooks and billing resources against the running service."""

from __future__ import annotations

import unittest

from support import BASE_URL, new_key

from tunetrail import NotFoundError, TuneTrail, ValidationError

# A public address literal: the test machine has no DNS, and nothing needs to arrive there.
PUBLIC_URL = "https://93.184.215.14/hook"
CSV_HEADER = "date,total_requests,successful_requests,failed_requests"


class WebhooksAndBillingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        key = new_key(scopes=["admin:webhooks", "admin:billing"])
        cls.client = TuneTrail(api_key=key["api_key"], base_url=BASE_URL)

    def test_every_webhook_route(self) -> None:
        created = self.client.webhooks.create(url=PUBLIC_URL, events=["*"], description="py")
        self.assertTrue(created["secret"].startswith("whsec_"))
        webhook_id = created["id"]
        self.assertNotIn("secret", self.client.webhooks.get(webhook_id))
        self.assertIn(webhook_id, [item["id"] for item in self.client.webhooks.list(limit=1)])

        updated = self.client.webhooks.update(webhook_id, events=["api_key.revoked"], is_active=True)
        self.assertEqual(updated["events"], ["api_key.revoked"])

        event_id = self.client.webhooks.test(webhook_id)["event_id"]
        deliveries = self.client.webhooks.deliveries(webhook_id)
        self.assertEqual(deliveries["total"], 1)
        self.assertEqual((deliveries["data"][0]["event_id"], deliveries["data"][0]["event_type"]), (event_id, "webhook.test"))

        self.client.webhooks.delete(webhook_id)
        with self.assertRaises(NotFoundError):
            self.client.webhooks.get(webhook_id)

    def test_a_refused_url_is_a_validation_error(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.client.webhooks.create(url="https://127.0.0.1/hook", events=["*"])
        self.assertEqual(raised.exception.status, 400)

    def test_billing_and_its_csv(self) -> None:
        billing = self.client.billing.get()
        self.assertEqual(billing["plan"], "pro")
        self.assertGreaterEqual(billing["active_keys"], 1)
        month = billing["period_start"][:7]
        csv = self.client.billing.usage_csv(period=month)
        lines = csv.strip().split("\n")
        self.assertEqual(lines[0], CSV_HEADER)
        self.assertEqual([line.split(",")[0] for line in lines[1:]], [day["date"] for day in billing["by_day"]])


if __name__ == "__main__":
    unittest.main()
