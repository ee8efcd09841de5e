"""The whole tele-expertise flow through a real, off-the-shelf FHIR client
(PyPI `fhirpy`), as an integrator would write it with nothing but our
CapabilityStatement: the requester files a request with a photo, the expert
takes it from the team's queue and asks a question, the requester replies,
the expert answers, the requester reads the report and closes. Every
resource the server returns along the way is parsed with the third-party
R4B models of PyPI `fhir.resources`.

Usage: flow.py BASE_URL REQUESTER_TOKEN EXPERT_TOKEN PHOTO.jpg
Exit 0 when every step and every resource is right.
"""
import base64
import os
import sys
import uuid

from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from validate import model  # noqa: E402  (the same R4B check as the Rust tests)

INS = "urn:oid:1.2.250.1.213.1.4.8"
SNOMED = "http://snomed.info/sct"
seen = []


def checked(resource):
    """Parses a resource (a dict or a fhirpy resource) with fhir.resources."""
    data = resource.serialize() if hasattr(resource, "serialize") else dict(resource)
    model(data["resourceType"]).model_validate(data)
    seen.append(data["resourceType"])
    return data


def step(text):
    print(f"- {text}", flush=True)


def ins_of(nir):
    """An INS: the NIR and its key, 97 - (NIR mod 97), Corsica as 19/18."""
    number = int(nir.replace("2A", "19").replace("2B", "18"))
    return f"{nir}{97 - number % 97:02d}"


def main(base, requester_token, expert_token, photo_path):
    requester = SyncFHIRClient(base, authorization=f"Bearer {requester_token}")
    expert = SyncFHIRClient(base, authorization=f"Bearer {expert_token}")

    step("the CapabilityStatement says what is implemented")
    statement = checked(requester.execute("metadata", method="get"))
    types = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"ServiceRequest", "Task", "Communication", "DocumentReference", "AuditEvent"} <= types

    step("the patient, created once (conditional create)")
    ins = ins_of(f"2{uuid.uuid4().int % 100:02d}0521{uuid.uuid4().int % 1000:03d}{uuid.uuid4().int % 1000:03d}")
    patient_data = {
        "resourceType": "Patient",
        "identifier": [{"system": INS, "value": ins}],
        "name": [{"family": "Lemoine", "given": ["Jeanne"]}],
        "gender": "female",
        "birthDate": "1952-05-21",
    }
    search = requester.resources("Patient").search(identifier=f"{INS}|{ins}")
    patient, created = search.get_or_create(requester.resource("Patient", **patient_data))
    assert created, "a new patient"
    again, created_again = search.get_or_create(requester.resource("Patient", **patient_data))
    assert not created_again and again.id == patient.id, "the same patient, not a second one"
    checked(patient)

    step("the request, filed by transaction with a photo")
    photo = base64.b64encode(open(photo_path, "rb").read()).decode()
    answers = [
        ("consent", {"valueBoolean": True}),
        ("question", {"valueString": "Lésion pigmentée qui change : exérèse ?"}),
        ("history", {"valueCoding": {"code": "none"}}),
        ("treatments", {"valueString": "Aucun"}),
        ("allergies", {"valueCoding": {"code": "none"}}),
        ("body_site", {"valueString": "Dos"}),
        ("duration", {"valueCoding": {"code": "1-6m"}}),
        ("evolution", {"valueCoding": {"code": "changing"}}),
        ("symptoms", {"valueCoding": {"code": "itch"}}),
        ("phototype", {"valueCoding": {"code": "II"}}),
        ("skin_cancer_history", {"valueCoding": {"code": "none"}}),
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:qr", "request": {"method": "POST", "url": "QuestionnaireResponse"},
             "resource": {"resourceType": "QuestionnaireResponse", "status": "completed",
                          "item": [{"linkId": k, "answer": [v]} for k, v in answers]}},
            {"fullUrl": "urn:uuid:photo", "request": {"method": "POST", "url": "Media"},
             "resource": {"resourceType": "Media", "status": "completed", "bodySite": {"text": "Dos"},
                          "content": {"contentType": "image/jpeg", "data": photo}}},
            {"fullUrl": "urn:uuid:request", "request": {"method": "POST", "url": "ServiceRequest"},
             "resource": {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                          "code": {"coding": [{"system": SNOMED, "code": "394582007"}]},
                          "subject": {"reference": f"Patient/{patient.id}"}}},
        ],
    }
    response = checked(requester.execute("", method="post", data=bundle))
    assert response["type"] == "transaction-response"
    for entry in response["entry"]:
        assert entry["response"]["status"].startswith("201"), entry["response"]
        checked(entry["resource"])
    request_id = next(e["resource"]["id"] for e in response["entry"]
                      if e["resource"]["resourceType"] == "ServiceRequest")
    service_request = requester.reference("ServiceRequest", request_id).to_resource()
    checked(service_request)
    assert service_request["subject"]["reference"] == f"Patient/{patient.id}"
    media = requester.resources("Media").search(**{"based-on": f"ServiceRequest/{request_id}"}).fetch_all()
    assert len(media) == 1
    checked(media[0])

    step("the expert finds it in the team's queue and takes it")
    team = service_request["performer"][0]["reference"]
    queue = expert.resources("Task").search(owner=team, status="requested").fetch_all()
    for task in queue:
        checked(task)
    task = next(t for t in queue if t["focus"]["reference"] == f"ServiceRequest/{request_id}")
    assert task["restriction"]["period"]["end"], "a deadline"
    task["status"] = "accepted"
    task.save()
    checked(task)
    assert task["status"] == "accepted" and task["owner"]["reference"].startswith("Practitioner/")

    step("the expert asks a question: the Task waits on hold")
    question = expert.resource(
        "Communication", status="completed",
        category=[{"coding": [{"code": "question"}]}],
        basedOn=[{"reference": f"ServiceRequest/{request_id}"}],
        payload=[{"contentString": "Pouvez-vous préciser l'évolution sur 3 mois ?"}],
    )
    question.save()
    checked(question)
    task.refresh()
    checked(task)
    assert task["status"] == "on-hold"

    step("the requester sees the question and replies")
    waiting = requester.resources("Task").search(status="on-hold", focus=f"ServiceRequest/{request_id}").fetch_all()
    assert len(waiting) == 1
    thread = requester.resources("Communication").search(**{"based-on": f"ServiceRequest/{request_id}"}).fetch_all()
    assert [c["category"][0]["coding"][0]["code"] for c in thread] == ["question"]
    reply = requester.resource(
        "Communication", status="completed",
        category=[{"coding": [{"code": "reply"}]}],
        basedOn=[{"reference": f"ServiceRequest/{request_id}"}],
        payload=[{"contentString": "Elle a doublé de taille, bords irréguliers."}],
    )
    reply.save()
    checked(reply)

    step("the expert answers")
    advice = expert.resource(
        "Communication", status="completed",
        category=[{"coding": [{"code": "advice"}]}],
        basedOn=[{"reference": f"ServiceRequest/{request_id}"}],
        extension=[{"url": "https://consilium.health/fhir/StructureDefinition/in-person-visit",
                    "valueCode": "within_week"}],
        reasonCode=[{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "D48.5"}]}],
        payload=[
            {"extension": [{"url": "https://consilium.health/fhir/StructureDefinition/advice-part",
                            "valueCode": "hypothesis"}], "contentString": "Mélanome à éliminer"},
            {"extension": [{"url": "https://consilium.health/fhir/StructureDefinition/advice-part",
                            "valueCode": "management"}], "contentString": "Exérèse avec marges de 2 mm"},
        ],
    )
    advice.save()
    checked(advice)

    step("the requester reads the report, then closes")
    documents = requester.resources("DocumentReference").search(related=f"ServiceRequest/{request_id}").fetch_all()
    assert len(documents) == 1 and documents[0]["status"] == "current"
    checked(documents[0])
    binary = checked(requester.execute(documents[0]["content"][0]["attachment"]["url"], method="get"))
    assert base64.b64decode(binary["data"]).startswith(b"%PDF")
    task = requester.reference("Task", request_id).to_resource()
    assert task["businessStatus"]["coding"][0]["code"] == "answered"
    task.patch(status="completed")
    closed = requester.reference("Task", request_id).to_resource()
    checked(closed)
    assert closed["status"] == "completed"
    request_now = checked(requester.reference("ServiceRequest", request_id).to_resource())
    assert request_now["status"] == "completed"

    step("one search brings the request, its patient and its Task")
    found = checked(requester.resources("ServiceRequest").search(_id=request_id)
                    .include("ServiceRequest", "subject").revinclude("Task", "focus").fetch_raw())
    kinds = sorted(e["resource"]["resourceType"] for e in found["entry"])
    assert kinds == ["Patient", "ServiceRequest", "Task"], kinds
    for entry in found["entry"]:
        checked(entry["resource"])
    history = checked(requester.execute(f"Task/{request_id}/_history", method="get"))
    assert [e["resource"]["status"] for e in history["entry"]][:2] == ["completed", "in-progress"]

    step("an id that does not exist is not found (404)")
    try:
        expert.reference("Patient", str(uuid.uuid4())).to_resource()
        raise AssertionError("a made-up patient was found")
    except ResourceNotFound:
        pass

    print(f"ok: {len(seen)} resources parsed by fhir.resources (R4B): "
          + ", ".join(sorted(set(seen))))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
