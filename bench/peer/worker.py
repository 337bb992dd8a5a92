"""The reference peer's worker: a confluent-kafka consumer loop that assembles vox.ai call events
into one JSON record per call, written the way a competent user would without CallStream.
`make bench` measures CallStream's worker against it.

It reads the raw topic from the beginning in a consumer group of its own, keeps each open call's
state in a dict, and on `call_ended` produces the call's record (key = call_id) to the records topic.
It stops once `records` records are acknowledged and prints, as one JSON line, the events per
second between the first acknowledged record and the last (the way the Swift worker bench counts:
`events_per_record` events for each record after the first).

    python worker.py BOOTSTRAP RAW_TOPIC RECORDS_TOPIC RECORDS [--group G] [--events-per-record 21]
        [--timeout 120]

Simplified on purpose, as a user's first version is: no deduplication, no revisions, no dead-letter
topic, offsets auto-committed whether or not the records are safe.
"""

import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer


def new_call(call_id):
    return {"call_id": call_id, "status": "open", "messages": [], "flow": [], "events": 0,
            "first_offset": None, "last_offset": None}


def apply(call, name, payload, message):
    """Folds one event into its call's state."""
    call["events"] += 1
    if call["first_offset"] is None:
        call["first_offset"] = message.offset()
    call["last_offset"] = message.offset()
    call["partition"] = message.partition()
    if name == "mid_call":
        data = payload.get("event_data") or {}
        at_ms = payload.get("timestamp")
        if payload.get("event_type") == "call_message":
            call["messages"].append({"role": data.get("role"), "content": data.get("content"), "at_ms": at_ms})
        elif payload.get("event_type") == "flow_transition":
            call["flow"].append({**data, "at_ms": at_ms})
    else:  # call_started, call_ended: the call's fields, later ones win
        for field in ("agent_id", "call_type", "call_from", "call_to", "start_timestamp", "end_timestamp",
                      "duration_ms", "disconnection_reason", "recording_url", "transcript",
                      "dynamic_variables", "metadata", "call_cost", "call_analysis"):
            if field in payload:
                call[field] = payload[field]
        call["status"] = "completed" if name == "call_ended" else "started"


def record_of(call, topic):
    messages = sorted(call["messages"], key=lambda message: message["at_ms"] or 0)
    started, ended = call.get("start_timestamp"), call.get("end_timestamp")
    return {
        "schema_version": 1,
        "call_id": call["call_id"],
        "status": call["status"],
        "agent_id": call.get("agent_id"),
        "call_type": call.get("call_type"),
        "from_number": call.get("call_from"),
        "to_number": call.get("call_to"),
        "started_at_ms": started,
        "ended_at_ms": ended,
        "duration_ms": call.get("duration_ms") or (ended - started if started and ended else None),
        "disconnection_reason": call.get("disconnection_reason"),
        "recording_url": call.get("recording_url"),
        "dynamic_variables": call.get("dynamic_variables") or {},
        "metadata": call.get("metadata") or {},
        "transcript": call.get("transcript") or [{"role": m["role"], "content": m["content"]} for m in messages],
        "messages": messages,
        "flow": sorted(call["flow"], key=lambda step: step["at_ms"] or 0),
        "cost": call.get("call_cost"),
        "analysis": call.get("call_analysis"),
        "events": {"received": call["events"]},
        "source": {"topic": topic, "partition": call.get("partition"),
                   "first_offset": call["first_offset"], "last_offset": call["last_offset"]},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bootstrap_servers")
    parser.add_argument("raw_topic")
    parser.add_argument("records_topic")
    parser.add_argument("records", type=int, help="stop once this many records are acknowledged")
    parser.add_argument("--group", default="peer-worker")
    parser.add_argument("--events-per-record", type=int, default=21)
    parser.add_argument("--timeout", type=float, default=120, help="give up after this many seconds")
    arguments = parser.parse_args()

    consumer = Consumer({
        "bootstrap.servers": arguments.bootstrap_servers,
        "group.id": arguments.group,
        "auto.offset.reset": "earliest",
    })
    producer = Producer({
        "bootstrap.servers": arguments.bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
    })
    acknowledged = []  # when each record's delivery report came

    def delivered(error, _message):
        if error is not None:
            raise KafkaException(error)
        acknowledged.append(time.monotonic())

    calls = {}
    produced = 0
    skipped = 0
    consumer.subscribe([arguments.raw_topic])
    deadline = time.monotonic() + arguments.timeout
    try:
        while produced < arguments.records:
            if time.monotonic() > deadline:
                sys.exit(f"{produced} of {arguments.records} records after {arguments.timeout:.0f} s")
            for message in consumer.consume(num_messages=1000, timeout=0.1):
                if message.error():
                    raise KafkaException(message.error())
                try:
                    event = json.loads(message.value())
                except ValueError:
                    skipped += 1
                    continue
                name = event.get("event")
                payload = event.get("mid_call" if name == "mid_call" else "call")
                if not isinstance(payload, dict) or not payload.get("call_id"):
                    skipped += 1  # e.g. CallStream's own stream-time ticks
                    continue
                call_id = payload["call_id"]
                call = calls.get(call_id)
                if call is None:
                    call = calls[call_id] = new_call(call_id)
                apply(call, name, payload, message)
                if name == "call_ended":
                    record = json.dumps(record_of(calls.pop(call_id), message.topic()), ensure_ascii=False)
                    producer.produce(arguments.records_topic, key=call_id.encode(), value=record.encode(),
                                     on_delivery=delivered)
                    produced += 1
            producer.poll(0)
        if producer.flush(30) > 0:
            sys.exit("records not acknowledged within 30 s")
    finally:
        consumer.close()
    if len(acknowledged) < 2:
        sys.exit(f"only {len(acknowledged)} records acknowledged")
    seconds = acknowledged[-1] - acknowledged[0]
    print(json.dumps({
        "events_per_second": (len(acknowledged) - 1) * arguments.events_per_record / seconds,
        "records": len(acknowledged),
        "seconds": seconds,
        "skipped": skipped,
    }))


if __name__ == "__main__":
    main()
