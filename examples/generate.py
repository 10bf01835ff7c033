"""Generate the bundled example sign-up exports with a fixed seed.

    python examples/generate.py      # rewrites examples/data/*.csv

The people are fictional; the fields and their quirks are realistic: headers are the survey's
question texts, list answers are ';'-separated, dates come as the survey tool writes them, and a
few rows are deliberately broken (a bad e-mail, an unknown choice, a missing name) so an import
shows how bad rows are reported and kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data"
FIRST = ["Avery", "Jordan", "Riley", "Sam", "Alex", "Morgan", "Casey", "Taylor", "Jamie", "Quinn",
         "Rowan", "Priya", "Wei", "Amara", "Diego", "Noor", "Kenji", "Leila", "Tomas", "Ines",
         "Mateo", "Zara", "Kofi", "Hana", "Elif", "Ravi", "Sofia", "Omar", "Lena", "Jae"]
LAST = ["Okafor", "Lindqvist", "Moreno", "Nakamura", "Haddad", "Kowalski", "Mensah", "Rossi",
        "Chen", "Patel", "Novak", "Silva", "Dubois", "Fischer", "Ahmed", "Larsen", "Costa",
        "Ibrahim", "Tanaka", "Walsh", "Bauer", "Reyes", "Sato", "Osei", "Varga"]


def people(rng: random.Random, count: int, domain: str):
    used: set[str] = set()
    while len(used) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}@{domain}".lower()
        if email not in used:
            used.add(email)
            yield f"{first} {last}", email


def some(rng: random.Random, choices: list[str], low: int, high: int) -> str:
    return ";".join(rng.sample(choices, rng.randint(low, high)))


def residency(rng: random.Random) -> list[dict[str, str]]:
    subspecialties = ["cardiology", "gastroenterology", "nephrology", "pulmonary & critical care",
                      "infectious diseases", "oncology", "endocrinology", "rheumatology",
                      "geriatrics", "hospital medicine", "primary care"]
    research = ["clinical trials", "outcomes research", "medical education",
                "quality improvement", "basic science", "health equity"]
    purposes = ["academic support", "professional development", "personal growth & well-being"]
    rows = []
    for i, (name, email) in enumerate(people(rng, 70, "example-hospital.org")):
        resident = i < 30
        signed = dt.date(2026, 7, 1) + dt.timedelta(days=rng.randint(0, 13 if i % 17 else 20))
        rows.append({
            "Full name": name, "E-mail": email, "Role": "resident" if resident else "faculty",
            "Submitted": signed.strftime("%m/%d/%Y"),
            "Residency program": ("Internal Medicine" if i % 13 else "Family Medicine")
            if resident else "",
            "PGY": str(rng.randint(1, 3)) if resident else "",
            "Sub-specialty interests": some(rng, subspecialties, 1, 3),
            "Research interests": some(rng, research, 0, 2),
            "What the mentee wants from mentoring": some(rng, purposes, 1, 3) if resident else "",
            "Well-being is a priority for me": rng.choice(["Yes", "No"]),
        })
    rows[5]["E-mail"] = "not-an-email"
    rows[40]["Sub-specialty interests"] = "cardiology;astrology"
    return rows


def lgbtq(rng: random.Random) -> list[dict[str, str]]:
    clinical = ["internal medicine", "surgery", "pediatrics", "psychiatry", "emergency medicine",
                "obstetrics & gynecology", "family medicine", "radiology", "anesthesiology",
                "infectious diseases"]
    research = ["LGBTQ health", "health equity", "HIV prevention", "medical education",
                "health services", "basic science"]
    affiliations = ["Perelman School of Medicine (PSOM)", "Penn Medicine", "UPHS", "CHOP"]
    roles = ["student"] * 16 + ["trainee"] * 11 + ["faculty"] * 9
    rows = []
    for i, (role, (name, email)) in enumerate(zip(roles, people(rng, len(roles), "upenn.example"),
                                                  strict=True)):
        late = i % 11 == 0  # a few sign up after the Oct 10 deadline
        signed = dt.datetime(2026, 9, 20, 9) + dt.timedelta(days=rng.randint(21, 24) if late
                                                            else rng.randint(0, 19))
        rows.append({
            "Name": name, "Email": email, "Current position": role,
            "I would like to be a": {"student": "mentee", "trainee": "mentor;mentee",
                                     "faculty": "mentor"}[role],
            "RecordedDate": signed.strftime("%Y-%m-%d %H:%M:%S"),
            "Affiliation": "Other" if i == 7 else rng.choice(affiliations),
            "I identify as LGBTQ": "Yes" if i != 12 else "No",
            "Pronouns": rng.choice(["she/her", "he/him", "they/them", "she/they", "he/they"]),
            "Out as a professional": rng.choice(["out", "selectively out", "not out"]),
            "Clinical interests": some(rng, clinical, 1, 3),
            "Research interests": some(rng, research, 0, 2),
            "As a mentor I prefer a one-to-one pair": "Yes" if role == "faculty" and i % 4 == 0
            else "No",
            "I can attend the Fall Networking Event": rng.choice(["Yes", "Yes", "No"]),
            "Who may see my identity, pronouns and out-ness": rng.choice(
                ["group", "group;participants", ""]),
        })
    rows[3]["Name"] = ""
    return rows


def peer_mentoring(rng: random.Random) -> list[dict[str, str]]:
    communities = ["Adams", "Bell", "Curie", "Drew", "Esteves"]
    interests = ["primary care", "surgery", "pediatrics", "psychiatry", "emergency medicine",
                 "research", "global health", "medical education"]
    names = people(rng, 520, "umassmed.example")
    rows = []

    def row(role, year, community, track="MD", **extra):
        name, email = next(names)
        signed = dt.date(2026, 4, 1) + dt.timedelta(days=rng.randint(0, 40))
        rows.append({"Full name": name, "E-mail": email, "Role": role, "Submitted":
                     signed.isoformat(), "Year entering": str(year) if year else "",
                     "Learning Community": community, "Degree track": track,
                     "Application score": "", "Interview score": "", "Faculty Mentor e-mail": "",
                     "Career interests": some(rng, interests, 1, 3),
                     "Who may see my answers": rng.choice(["group", "group;participants", ""]),
                     **extra})
        return email

    # 26 faculty mentors (five or six per Learning Community), each with a cohort of students
    faculty = [(row("faculty", "", communities[i % 5]), communities[i % 5]) for i in range(26)]
    for email, community in faculty:
        for _ in range(rng.randint(12, 15)):
            row("student", rng.choice([1, 2]), community, **{"Faculty Mentor e-mail": email})
    # peer mentor applicants: more than 26 per year, scored at application and interview
    for year, count in ((3, 31), (4, 28)):
        for i in range(count):
            score = rng.randint(10, 25)
            interview = 20 if (year == 3 and i in (3, 4)) else rng.randint(8, 20)
            row("peer-mentor", year, rng.choice(communities),
                **{"Application score": str(score if not (year == 3 and i in (3, 4)) else 22),
                   "Interview score": str(interview)})
    # the separate MD/PhD track
    for year in (3, 4):
        row("peer-mentor", year, rng.choice(communities), "MD/PhD")
    for _ in range(9):
        row("student", rng.choice([1, 2]), rng.choice(communities), "MD/PhD")
    rows[40]["Year entering"] = "five"
    rows[30]["Learning Community"] = "Franklin"
    return rows


def peer_circles(rng: random.Random) -> list[dict[str, str]]:
    institutions = [f"{place} {kind}" for place in
                    ["Boston", "Denver", "Atlanta", "Seattle", "Austin", "Chicago", "Tampa",
                     "Omaha", "Portland", "Madison", "Durham", "Phoenix"]
                    for kind in ("University Hospital", "Medical Center")]
    weights = [1 / (1 + i) for i in range(len(institutions))]  # a few large institutions
    stages = ["trainee", "early career", "mid career", "senior"]
    topics = ["parental leave", "burnout", "harassment", "promotion", "publishing",
              "negotiation", "leadership", "work-life integration"]
    zones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
    rows = []
    for i, (name, email) in enumerate(people(rng, 120, "wim.example")):
        signed = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randint(0, 18 if i % 19 else 25))
        rows.append({
            "Full name": name, "E-mail": email, "Role": "peer",
            "Submitted": signed.isoformat(),
            "Home institution": rng.choices(institutions, weights)[0],
            "Career stage": rng.choices(stages, [3, 5, 4, 1])[0],
            "Specialty": rng.choice(["hospital medicine", "internal medicine", "surgery",
                                     "pediatrics", "emergency medicine"]),
            "Topics I want to discuss": some(rng, topics, 1, 3),
            "My time zone": rng.choice(zones),
            "Who may see my answers": rng.choice(["group", "group;participants", ""]),
        })
    rows[8]["Career stage"] = "student"
    rows[50]["E-mail"] = "no-at-sign.example"
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write(OUT / "im-residency.csv", residency(random.Random(2026)))
    write(OUT / "lgbtq-triads.csv", lgbtq(random.Random(2022)))
    write(OUT / "peer-mentoring.csv", peer_mentoring(random.Random(2026)))
    write(OUT / "peer-circles.csv", peer_circles(random.Random(2023)))


if __name__ == "__main__":
    main()
