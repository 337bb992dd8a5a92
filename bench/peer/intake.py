"""The reference peer's intake: vox.ai call-data webhooks into Kafka, written the way a competent
user would without CallStream. `make bench` measures CallStream's intake against it.

Why FastAPI rather than Flask: the route waits for the broker's delivery report before it answers
(as CallStream's intake does). In FastAPI each waiting request is a suspended coroutine, so one
process keeps hundreds of requests in flight and librdkafka batches their messages; a Flask worker
(sync or gthread) holds a thread per waiting request and answers far fewer. The async form is the
peer's best honest shot.

How it runs (production style on this 2-core machine: one process per core, no reload, no access
log; uvicorn picks uvloop and httptools when installed, as `uvicorn[standard]` does):

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 RAW_TOPIC=callstream.events \
        uvicorn intake:app --app-dir bench/peer --host 127.0.0.1 --port 8080 \
        --workers 2 --no-access-log --log-level warning

Routes: `POST /webhooks/vox/call-events` (200 after the broker's acknowledgement, 400 without a
`call_id`, 503 when the broker does not acknowledge within 8 s) and `GET /healthz` (hello world).
"""

import asyncio
import json
import os
import threading
from contextlib import asynccontextmanager

from confluent_kafka import KafkaException, Producer
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOOTSTRAP_SERVERS = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
RAW_TOPIC = os.environ.get("RAW_TOPIC", "callstream.events")
# Below the platform's 10 s webhook timeout, so it sees our 503 (and retries), not its own timeout;
# also librdkafka's message timeout, so a message answered with 503 is not delivered later.
DELIVERY_TIMEOUT_SECONDS = 8.0


class DeliveringProducer:
    """confluent-kafka's Producer with an asyncio future per message, resolved by its delivery
    report. A thread serves the reports (`poll`), as in confluent-kafka-python's asyncio example.
    (confluent_kafka.aio.AIOProducer buffers up to 1,000 messages or 1 s before it sends: fine for
    bulk loads, a second of latency for a webhook answered one request at a time.)"""

    def __init__(self, config):
        self._producer = Producer(config)
        self._closing = False
        self._poller = threading.Thread(target=self._serve_reports, name="delivery-reports", daemon=True)
        self._poller.start()

    def _serve_reports(self):
        while not self._closing:
            self._producer.poll(0.1)

    def produce(self, topic, key, value):
        """Queues one message; the returned future ends with its delivery report."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def settle(error, message):
            if not future.done():  # the request may have given up (timeout, client gone)
                if error is None:
                    future.set_result(message)
                else:
                    future.set_exception(KafkaException(error))

        # The callback runs on the poller thread: hand it to the event loop.
        self._producer.produce(topic, value=value, key=key,
                               on_delivery=lambda error, message: loop.call_soon_threadsafe(settle, error, message))
        return future

    def close(self):
        self._producer.flush(DELIVERY_TIMEOUT_SECONDS)
        self._closing = True
        self._poller.join()


def call_id_of(event):
    """The call id: in the event's payload (`call`, `mid_call`, or the key named like the event),
    else at the top level; None when there is none."""
    if not isinstance(event, dict):
        return None
    name = event.get("event")
    for key in ("call", "mid_call", name if isinstance(name, str) else None):
        payload = event.get(key)
        if isinstance(payload, dict) and isinstance(payload.get("call_id"), str) and payload["call_id"]:
            return payload["call_id"]
    call_id = event.get("call_id")
    return call_id if isinstance(call_id, str) and call_id else None


def error(status, code, message):
    return JSONResponse({"error": code, "message": message}, status_code=status)


@asynccontextmanager
async def lifespan(app):
    # One producer per worker process, created after the fork (librdkafka's threads do not survive one).
    app.state.producer = DeliveringProducer({
        "bootstrap.servers": BOOTSTRAP_SERVERS,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "message.timeout.ms": int(DELIVERY_TIMEOUT_SECONDS * 1000),
    })
    yield
    app.state.producer.close()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}


@app.post("/webhooks/vox/call-events")
async def call_events(request: Request):
    body = await request.body()
    try:
        event = json.loads(body)
    except ValueError as exception:
        return error(400, "invalid_json", f"the body is not JSON: {exception}")
    call_id = call_id_of(event)
    if call_id is None:
        return error(400, "missing_call_id", "the event has no call_id")
    try:
        delivered = request.app.state.producer.produce(RAW_TOPIC, call_id.encode(), body)
        await asyncio.wait_for(delivered, DELIVERY_TIMEOUT_SECONDS)
    except BufferError:
        return error(503, "broker_unavailable", "the producer's queue is full")
    except (KafkaException, asyncio.TimeoutError) as exception:
        return error(503, "broker_unavailable", f"not acknowledged by the broker: {exception}")
    return {"status": "accepted", "call_id": call_id, "event": event.get("event")}
