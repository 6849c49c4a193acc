#!/usr/bin/env python3
"""Books the first free video slot of Valle Immaginaria's "imu" agenda
through the JSON API (as the Ente's site would) and prints, as shell
assignments, what tests/e2e/run-video.sh needs: ROOM, APPT, NOW_IN (two
minutes before the start, inside the room's window) and NOW_AFTER (well
after its close). Usage: video_setup.py BASE_URL API_TOKEN ENTE"""
import datetime
import json
import sys
import urllib.request
from zoneinfo import ZoneInfo


def call(method, url, token, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def main():
    base, token, ente = sys.argv[1], sys.argv[2], sys.argv[3]
    rome = ZoneInfo("Europe/Rome")
    today = datetime.datetime.now(rome).date()
    frm, to = today + datetime.timedelta(days=1), today + datetime.timedelta(days=20)
    slots = call("GET", "%s/api/v1/agenda/slots?ente=%s&topic=imu&from=%s&to=%s" % (base, ente, frm, to), token)
    free = [s for s in slots["slots"] if s["available"] > 0]
    if not free:
        sys.exit("video_setup: no free video slot")
    s = free[0]
    j = call("POST", "%s/api/v1/appointments?ente=%s" % (base, ente), token, {
        "topic": "imu", "counter": s["counter"], "start": s["start"], "fiscal_code": "RSSMRA80A01H501U",
        "name": "Maria Rossi", "email": "maria.rossi@example.org", "reason": "Videochiamata di prova",
        "privacy_consent": True, "video": True})
    start = datetime.datetime.fromisoformat(j["start"]).replace(tzinfo=rome).timestamp()
    end = datetime.datetime.fromisoformat(j["end"]).replace(tzinfo=rome).timestamp()
    print("ROOM=%s" % j["room_id"])
    print("APPT=%d" % j["id"])
    print("NOW_IN=%d" % (start - 120))
    print("NOW_AFTER=%d" % (end + 3600))


if __name__ == "__main__":
    main()
