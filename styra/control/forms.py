"""Forms of the control pages: they parse what people type; the services judge it."""

from __future__ import annotations

from django import forms

from .models import (
    AgeGroup,
    Assessment,
    DecisionType,
    DelayReason,
    Gender,
    ItemStatus,
    Law,
    PlanKind,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ResultForm(forms.Form):
    performed_on = forms.DateField(label="Utförd (datum)", widget=DATE)
    checked = forms.CharField(
        label="Vad som kontrollerades", widget=forms.Textarea(attrs={"rows": 2})
    )
    population = forms.IntegerField(label="Antal i populationen", min_value=0, required=False)
    sample_size = forms.IntegerField(label="Antal i stickprovet", min_value=0, required=False)
    findings = forms.CharField(
        label="Iakttagelser", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    assessment = forms.ChoiceField(
        label="Bedömning", choices=Assessment.choices, widget=forms.RadioSelect
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Åtgärd", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible = forms.ModelChoiceField(
        label="Ansvarig person", queryset=None, required=False, empty_label="(ingen person)"
    )
    responsible_role = forms.CharField(label="eller ansvarig funktion", required=False)
    due_on = forms.DateField(label="Klart senast", widget=DATE, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people

    @property
    def filled(self) -> bool:
        d = self.cleaned_data
        return bool(d.get("description") or d.get("due_on") or d.get("responsible"))

    def clean(self):
        d = super().clean()
        if (
            d.get("description") or d.get("responsible") or d.get("responsible_role")
        ) and not d.get("due_on"):
            self.add_error("due_on", "Ange när åtgärden ska vara klar.")
        return d


class ActionFollowUpForm(forms.Form):
    follow_up = forms.CharField(
        label="Uppföljning", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    done_on = forms.DateField(label="Klar (datum, tomt om den pågår)", widget=DATE, required=False)


class DecisionForm(forms.Form):
    reference = forms.CharField(label="Ärendereferens", max_length=40)
    person_name = forms.CharField(label="Namn", max_length=200)
    person_number = forms.CharField(label="Personnummer", max_length=13)
    law = forms.ChoiceField(label="Lagrum", choices=Law.choices)
    decision_type = forms.ChoiceField(label="Beslutstyp", choices=DecisionType.choices)
    decision_date = forms.DateField(label="Beslutsdatum", widget=DATE)
    gender = forms.ChoiceField(label="Kön", choices=Gender.choices)
    age_group = forms.ChoiceField(label="Åldersgrupp", choices=AgeGroup.choices)
    reason = forms.ChoiceField(label="Skäl till dröjsmålet", choices=DelayReason.choices)
    reason_text = forms.CharField(
        label="Skälet i ord (till IVO)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FinishForm(forms.Form):
    executed_on = forms.DateField(label="Verkställt (datum)", widget=DATE, required=False)
    closed_on = forms.DateField(label="Avslutat (datum)", widget=DATE, required=False)
    closed_reason = forms.CharField(label="Skäl till avslut", required=False)


class QuarterForm(forms.Form):
    quarter = forms.RegexField(
        label="Kvartal (t.ex. 2023-K2)", regex=r"^\d{4}-[Kk][1-4]$", max_length=7
    )


ASSESSMENT_WORDS = {"ja": "ja", "delvis": "delvis", "nej": "nej"}


def parse_questions(text: str) -> list[tuple[str, str]]:
    """One revisionsfråga per line, its assessment after the last "|": "Säkerställer
    nämnden …? | Delvis". ValidationError names the line."""
    out, errors = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        question, sep, answer = line.rpartition("|")
        word = answer.strip().lower()
        if not sep or not question.strip() or word not in ASSESSMENT_WORDS:
            errors.append(f"rad {n}: skriv frågan, ett lodstreck och Ja, Delvis eller Nej")
            continue
        out.append((question.strip(), ASSESSMENT_WORDS[word]))
    if errors:
        raise forms.ValidationError("; ".join(errors) + ".")
    return out


class AuditForm(forms.Form):
    case = forms.ModelChoiceField(label="Ärende", queryset=None, empty_label=None)
    title = forms.CharField(label="Granskningens rubrik", max_length=400)
    auditor = forms.CharField(label="Revisorer", max_length=200, required=False)
    letter_date = forms.DateField(label="Revisionsskrivelsens datum", widget=DATE)
    deadline = forms.DateField(label="Sista dag för yttrandet", widget=DATE)
    extended_to = forms.DateField(label="Anstånd till (om beviljat)", widget=DATE, required=False)
    conclusion = forms.CharField(
        label="Revisorernas samlade bedömning",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    questions = forms.CharField(
        label="Revisionsfrågor, en per rad: frågan | Ja, Delvis eller Nej",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    recommendations = forms.CharField(
        label="Rekommendationer, en per rad", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases

    def clean_questions(self):
        return parse_questions(self.cleaned_data["questions"])

    def clean_recommendations(self):
        return [r.strip() for r in self.cleaned_data["recommendations"].splitlines() if r.strip()]


class AnswerForm(ActionForm):
    answer = forms.CharField(label="Nämndens svar", widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["answer", "description", "responsible", "responsible_role", "due_on"]


class YttrandeForm(forms.Form):
    introduction = forms.CharField(
        label="Yttrandets inledning", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    extended_to = forms.DateField(label="Anstånd till", widget=DATE, required=False)
    answered_on = forms.DateField(label="Nämnden beslutade yttrandet", widget=DATE, required=False)


class ActionPlanForm(forms.Form):
    kind = forms.ChoiceField(label="Slag", choices=PlanKind.choices)
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    title = forms.CharField(label="Rubrik (valfri)", max_length=300, required=False)


class PlanItemForm(forms.Form):
    area = forms.CharField(label="Område", max_length=200, required=False)
    goal = forms.CharField(label="Mål", required=False)
    action = forms.CharField(label="Åtgärd", widget=forms.Textarea(attrs={"rows": 2}))
    responsible_role = forms.CharField(label="Ansvarig", max_length=200)
    due_on = forms.DateField(label="Klart när", widget=DATE)
    follow_up_on = forms.CharField(label="Följs upp när", max_length=40, required=False)


class ItemStatusForm(forms.Form):
    event = forms.ModelChoiceField(label="Rapporttillfälle", queryset=None, empty_label=None)
    status = forms.ChoiceField(label="Status", choices=ItemStatus.choices)
    comment = forms.CharField(label="Kommentar", required=False)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class SamCheckForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    step = forms.CharField(label="Steg i uppföljningen", max_length=300)
    done = forms.TypedChoiceField(
        label="Genomfört",
        choices=[("ja", "Ja"), ("nej", "Nej")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Orsak om nej", required=False)


class PlanCreateForm(forms.Form):
    committee = forms.ModelChoiceField(label="Nämnd", queryset=None, empty_label=None)
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


GRADE_CHOICES = [(g, f"{g}") for g in (1, 2, 3, 4)]


class RiskForm(forms.Form):
    area = forms.CharField(label="Område", max_length=200)
    name = forms.CharField(label="Risk", widget=forms.Textarea(attrs={"rows": 2}))
    owner_tag = forms.CharField(label="Ägare (t.ex. KOMMUNÖVERGRIPANDE HR)", required=False)
    likelihood = forms.TypedChoiceField(label="Sannolikhet", choices=GRADE_CHOICES, coerce=int)
    consequence = forms.TypedChoiceField(label="Konsekvens", choices=GRADE_CHOICES, coerce=int)
    motivation = forms.CharField(
        label="Motivering", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        from .calc import CONSEQUENCE_LABELS, LIKELIHOOD_LABELS

        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = [(g, f"{g} {t}") for g, t in LIKELIHOOD_LABELS.items()]
        self.fields["consequence"].choices = [
            (g, f"{g} {t}") for g, t in CONSEQUENCE_LABELS.items()
        ]


class ControlForm(forms.Form):
    risk = forms.ModelChoiceField(label="Risk", queryset=None, empty_label=None)
    name = forms.CharField(label="Kontroll", max_length=300)
    description = forms.CharField(
        label="Beskrivning", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    method = forms.CharField(label="Metod (t.ex. stickprov)", required=False)
    sample_rule = forms.CharField(
        label="Urval (t.ex. minst 15 verifikationer per kvartal)", required=False
    )
    months = forms.CharField(label="Månader (t.ex. mars och september, 3, 9, Q2, kvartalsvis)")
    responsible_role = forms.CharField(label="Ansvarig funktion", required=False)
    responsible = forms.ModelChoiceField(
        label="Ansvarig person", queryset=None, required=False, empty_label="(ingen person)"
    )

    def __init__(self, *args, risks=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = risks
        self.fields["responsible"].queryset = people


class VersionForm(forms.Form):
    decided_on = forms.DateField(label="Nämndens beslut (datum)", widget=DATE)
    note = forms.CharField(label="Vad som ändrades", required=False)
