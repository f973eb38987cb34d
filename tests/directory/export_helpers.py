"""Reading exports back the way a consumer would."""

import csv
import io
import json


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a byte order mark"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def json_body(response):
    return json.loads(body(response))
