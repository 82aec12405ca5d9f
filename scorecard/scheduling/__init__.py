"""Scheduled, idempotent drift-report runs: cron triggers, the runner, alerts, the scheduler."""
