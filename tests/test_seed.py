"""``flask seed --demo``: what the quick start serves works at once, and seeding twice changes nothing."""

import json


def test_demo_seed_serves_the_open_dataset_and_is_idempotent(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    counts = json.loads(first.output.strip().splitlines()[-1])
    assert counts["demo_users"] == 6 and counts["open_data"] == "refreshed"
    catalog = client.get("/open-data/catalog.json")
    assert catalog.status_code == 200 and catalog.get_json()
    again = json.loads(runner.invoke(args=["seed", "--demo"]).output.strip().splitlines()[-1])
    assert again["demo_users"] == 0


def test_a_missing_json_file_answers_json(client):
    r = client.get("/open-data/nothing-here.json")
    assert r.status_code == 404 and r.get_json()["error"]["code"]
