"""Write the example sign-ups as each survey tool exports them, with each tool's quirks.

    python examples/survey_exports.py      # rewrites examples/data/exports/

The people and answers are those of generate.py (fictional, fixed seeds); the layouts follow
the real exports in tests/data/exports/: a Qualtrics export of lgbtq-triads sign-ups (three
header rows, one column per option of a multi-select question, an unfinished response, an
unanswered -99), a REDCap raw export of peer-mentoring with its data dictionary (codes,
checkbox columns with letter codes), Google Forms and SurveyMonkey exports of peer-circles,
and a Microsoft Forms workbook of im-residency. Each has one person who submitted twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import lgbtq, peer_circles, peer_mentoring, residency

OUT = Path(__file__).resolve().parent / "data" / "exports"
QUALTRICS_META = [("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
                  ("Status", "Response Type", "status"), ("IPAddress", "IP Address", "ipAddress"),
                  ("Progress", "Progress", "progress"),
                  ("Duration (in seconds)", "Duration (in seconds)", "duration"),
                  ("Finished", "Finished", "finished"),
                  ("RecordedDate", "Recorded Date", "recordedDate"),
                  ("ResponseId", "Response ID", "_recordId"),
                  ("DistributionChannel", "Distribution Channel", "distributionChannel"),
                  ("UserLanguage", "User Language", "userLanguage")]
LGBTQ_QUESTIONS = ["Name", "Email", "Current position", "I would like to be a", "Affiliation",
                   "I identify as LGBTQ", "Pronouns", "Out as a professional",
                   "Clinical interests", "Research interests",
                   "As a mentor I prefer a one-to-one pair",
                   "I can attend the Fall Networking Event",
                   "Who may see my identity, pronouns and out-ness"]
SPLIT = {"Clinical interests": ["internal medicine", "surgery", "pediatrics", "psychiatry",
                                "emergency medicine", "obstetrics & gynecology",
                                "family medicine", "radiology", "anesthesiology",
                                "infectious diseases"],
         "Research interests": ["LGBTQ health", "health equity", "HIV prevention",
                                "medical education", "health services", "basic science"]}


def csv_text(rows: list[list[str]], newline: str = "\r\n") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def resubmitted(rows: list[dict[str, str]], index: int, changes: dict[str, str]) -> None:
    """The person of row ``index`` submits again, later, with ``changes``: appended."""
    rows.append({**rows[index], **changes})


def qualtrics_lgbtq(rng: random.Random) -> str:
    people = lgbtq(random.Random(2022))
    resubmitted(people, 5, {"Clinical interests": "surgery", "RecordedDate":
                            "2026-10-09 18:00:00"})
    people.append({**people[9], "Email": "late.starter@upenn.example", "Name": "Late Starter"})
    tags, texts, ids = [], [], []
    for tag, text, import_id in QUALTRICS_META:
        tags.append(tag), texts.append(text), ids.append(import_id)
    for number, question in enumerate(LGBTQ_QUESTIONS, start=1):
        options = SPLIT.get(question, [None])
        for option_number, option in enumerate(options, start=1):
            suffix = f"_{option_number}" if option else ""
            tags.append(f"Q{number}{suffix}")
            texts.append(f"{question} - {option}" if option else question)
            ids.append(f"QID{number}{suffix}")
    rows = [tags, texts, [f'{{"ImportId":"{i}"}}' for i in ids]]
    for i, person in enumerate(people):
        recorded = dt.datetime.fromisoformat(person["RecordedDate"])
        unfinished = person["Name"] == "Late Starter"
        meta = [(recorded - dt.timedelta(minutes=6)).isoformat(" "), recorded.isoformat(" "),
                "0", f"192.0.2.{i + 1}", "45" if unfinished else "100", "341",
                "0" if unfinished else "1", recorded.isoformat(" "),
                f"R_{rng.getrandbits(60):015x}", "anonymous", "EN"]
        answers = []
        for question in LGBTQ_QUESTIONS:
            given = person[question].split(";") if question in SPLIT else None
            if given is not None:
                answers += [o if o in given else "" for o in SPLIT[question]]
            else:
                answers.append(person[question].replace(";", ","))
        if i == 2:
            answers[LGBTQ_QUESTIONS.index("Out as a professional")] = "-99"  # seen, skipped
        rows.append(meta + answers)
    return csv_text(rows)


REDCAP_FIELDS = [  # variable, type, label (the program's), options (code, label)
    ("record_id", "text", "Record ID", []), ("full_name", "text", "Full name", []),
    ("email", "text", "E-mail", []),
    ("role", "radio", "Role", [("1", "peer-mentor"), ("2", "faculty"), ("3", "student")]),
    ("submitted", "text", "Submitted", []), ("year", "text", "Year entering", []),
    ("learning_community", "dropdown", "Learning Community",
     [(str(i), name) for i, name in enumerate(["Adams", "Bell", "Curie", "Drew", "Esteves"],
                                              start=1)]),
    ("track", "radio", "Degree track", [("1", "MD"), ("2", "MD/PhD")]),
    ("application_score", "text", "Application score", []),
    ("interview_score", "text", "Interview score", []),
    ("faculty_mentor", "text", "Faculty Mentor e-mail", []),
    ("interests", "checkbox", "Career interests",
     [(str(i), name) for i, name in enumerate(
         ["primary care", "surgery", "pediatrics", "psychiatry", "emergency medicine",
          "research", "global health", "medical education"], start=1)]),
    ("share_with", "checkbox", "Who may see my answers", [("g", "group"),
                                                          ("p", "participants")]),
]


def redcap_dictionary() -> str:
    header = ["Variable / Field Name", "Form Name", "Section Header", "Field Type",
              "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
              "Text Validation Type OR Show Slider Number", "Text Validation Min",
              "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
              "Required Field?", "Custom Alignment", "Question Number (surveys only)",
              "Matrix Group Name", "Matrix Ranking?", "Field Annotation"]
    rows = [header]
    for name, kind, label, options in REDCAP_FIELDS:
        choices = " | ".join(f"{code}, {text}" for code, text in options)
        rows.append([name, "signup", "", kind, label, choices] + [""] * 12)
    return csv_text(rows, "\n")


def redcap_peer_mentoring() -> str:
    people = peer_mentoring(random.Random(2026))
    resubmitted(people, 60, {"Career interests": "research", "Submitted": "2026-05-12"})
    header = []
    for name, kind, _, options in REDCAP_FIELDS:
        header += ([f"{name}___{code}" for code, _ in options] if kind == "checkbox"
                   else [name])
    header.append("signup_complete")
    rows = [header]
    for number, person in enumerate(people, start=1):
        row = []
        for name, kind, label, options in REDCAP_FIELDS:
            value = str(number) if name == "record_id" else person.get(label, "")
            codes = {text: code for code, text in options}
            if kind == "checkbox":
                chosen = value.split(";")
                row += ["1" if text in chosen else "0" for _, text in options]
            else:
                row.append(codes.get(value, "6" if value and codes else value))
        rows.append([*row, "2"])
    return csv_text(rows, "\n")


def google_peer_circles() -> str:
    people = peer_circles(random.Random(2023))
    resubmitted(people, 12, {"Topics I want to discuss": "burnout, leadership",
                             "Submitted": "2026-09-19"})
    questions = ["Full name", "Role", "Home institution", "Career stage", "Specialty",
                 "Topics I want to discuss", "My time zone", "Who may see my answers"]
    rows = [["Timestamp", "Email Address", *questions]]
    rng = random.Random(7)
    for person in people:
        day = dt.date.fromisoformat(person["Submitted"])
        moment = dt.datetime(day.year, day.month, day.day, rng.randint(7, 21),
                             rng.randint(0, 59), rng.randint(0, 59))
        stamp = f"{moment.month}/{moment.day}/{moment.year} {moment:%H:%M:%S}"
        rows.append([stamp, person["E-mail"], *(person[q].replace(";", ", ")
                                                for q in questions)])
    return csv_text(rows)


def msforms_residency(path: Path) -> None:
    """A Microsoft Forms workbook: Forms' own columns, then one per question; Excel dates,
    numbers as numbers, a multi-select answer's options each followed by ";"."""
    import openpyxl

    people = residency(random.Random(2026))
    resubmitted(people, 1, {"Research interests": "health equity", "Submitted": "07/12/2026"})
    questions = ["Full name", "E-mail", "Role", "Residency program", "PGY",
                 "Sub-specialty interests", "Research interests",
                 "What the mentee wants from mentoring", "Well-being is a priority for me"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", *questions])
    for number, person in enumerate(people, start=1):
        month, day, year = (int(part) for part in person["Submitted"].split("/"))
        done = dt.datetime(year, month, day, 9 + number % 8, number % 60, 0)
        answers = [int(person[q]) if q == "PGY" and person[q] else
                   "".join(f"{part};" for part in person[q].split(";") if part)
                   if q in questions[5:8] else person[q] for q in questions]
        sheet.append([number, done - dt.timedelta(minutes=4), done, "anonymous", "anonymous",
                      *answers])
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "m/d/yy h:mm:ss"
    book.properties.created = book.properties.modified = dt.datetime(2026, 7, 20)
    book.save(path)


def surveymonkey_peer_circles() -> str:
    people = peer_circles(random.Random(2023))
    resubmitted(people, 30, {"Specialty": "surgery", "Submitted": "2026-09-20"})
    topics = ["parental leave", "burnout", "harassment", "promotion", "publishing",
              "negotiation", "leadership", "work-life integration"]
    share = ["group", "participants"]
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1"]
    single = [("Full name", "Open-Ended Response"), ("E-mail", "Open-Ended Response"),
              ("Role", "Response"), ("Home institution", "Open-Ended Response"),
              ("Career stage", "Response"), ("Specialty", "Response")]
    top = meta + [q for q, _ in single] + ["Topics I want to discuss"] + [""] * 7
    top += ["My time zone", "Who may see my answers", ""]
    sub = [""] * len(meta) + [s for _, s in single] + topics + ["Response"] + share
    rows = [top, sub]
    for number, person in enumerate(people, start=1):
        day = dt.date.fromisoformat(person["Submitted"])
        end = dt.datetime(day.year, day.month, day.day, 8 + number % 10, number % 60, 5)
        chosen, shared = person["Topics I want to discuss"].split(";"), \
            person["Who may see my answers"].split(";")
        rows.append([str(114_000_000_000 + number), "431234567",
                     f"{end - dt.timedelta(minutes=7):%m/%d/%Y %I:%M:%S %p}",
                     f"{end:%m/%d/%Y %I:%M:%S %p}", f"198.51.100.{number % 250}", "", "", "",
                     "", *(person[q] for q, _ in single),
                     *(t if t in chosen else "" for t in topics), person["My time zone"],
                     *(s if s in shared else "" for s in share)])
    return csv_text(rows)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    written = {"lgbtq-triads.qualtrics.csv": qualtrics_lgbtq(random.Random(5)),
               "peer-mentoring.redcap.csv": redcap_peer_mentoring(),
               "peer-mentoring.redcap-dictionary.csv": redcap_dictionary(),
               "peer-circles.google-forms.csv": google_peer_circles(),
               "peer-circles.surveymonkey.csv": surveymonkey_peer_circles()}
    for name, text in written.items():
        (OUT / name).write_bytes(text.encode("utf-8-sig" if "surveymonkey" in name
                                             else "utf-8"))
    msforms_residency(OUT / "im-residency.ms-forms.xlsx")


if __name__ == "__main__":
    main()
