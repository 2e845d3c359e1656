"""Forms of the city's form pages: they parse what people type (Swedish numbers, exact
kronor); the services judge it."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from styra.lib.numbers import NumberFormatError, format_number, parse_number

from .models import ExternalProject, FundingRole, GrantLine, IopAgreement, PremisesApplication

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class KronorField(forms.CharField):
    """An exact amount in kronor as people type it: "1 234 567", "-925 000", "979 600,50"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            places = 0 if value == value.to_integral_value() else 2
            return format_number(value, places).replace("\u00a0", " ")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            amount = parse_number(text)
        except NumberFormatError as exc:
            raise forms.ValidationError(f"{text!r} är inget belopp: {exc}") from exc
        if amount is None:
            return None
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Ange belopp i kronor med högst två decimaler.")
        return amount


class ResultUnitForm(forms.Form):
    """What is entered of a result unit's year; the gross budget and the year's result are
    read from the budget and the follow-up."""

    fund_in = KronorField(label="Resultatfond från föregående år (kr, överskott +)")
    own_result = KronorField(label="Varav till följd av enhetens eget handlande (kr, överskott +)")
    explanation = forms.CharField(
        label="Förklaring av det egna resultatet", widget=TEXT, required=False
    )

    def __init__(self, *args, controller: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not controller:  # a unit manager enters only the own result and its explanation
            del self.fields["fund_in"]


class StrategicProjectForm(forms.Form):
    name = forms.CharField(label="Projekt", max_length=200)
    accumulated_cost = KronorField(label="Kostnad ackumulerad t.o.m. föregående år")
    accumulated_revenue = KronorField(label="Intäkt ackumulerad t.o.m. föregående år")
    budget_cost = KronorField(label="Budget kostnad, året")
    budget_revenue = KronorField(label="Budget intäkt, året")
    forecast_cost = KronorField(label="Prognos kostnad, året")
    forecast_revenue = KronorField(label="Prognos intäkt, året")
    decided_cost = KronorField(label="Totalt beslutad kostnad")
    decided_revenue = KronorField(label="Totalt beslutad intäkt")
    forecast_total_cost = KronorField(label="Prognos total kostnad")
    forecast_total_revenue = KronorField(label="Prognos total intäkt")
    decided_start = forms.DateField(label="Beslutat startdatum", widget=DATE, required=False)
    decided_end = forms.DateField(label="Beslutat slutdatum", widget=DATE, required=False)
    forecast_start = forms.DateField(label="Prognos startdatum", widget=DATE, required=False)
    forecast_end = forms.DateField(label="Prognos slutdatum", widget=DATE, required=False)
    cause = forms.CharField(label="Orsak till avvikelse", widget=TEXT, required=False)
    action = forms.CharField(label="Vidtagen åtgärd", widget=TEXT, required=False)


class PremisesForm(forms.ModelForm):
    yearly_rent = KronorField(label="Årshyra (kr)")
    amount_applied = KronorField(label="Sökt belopp (kr)")

    class Meta:
        model = PremisesApplication
        fields = [
            "address", "area", "contract_end", "returned_on", "yearly_rent", "amount_applied",
            "covers", "in_premises_plan", "comment",
        ]  # fmt: skip
        widgets = {"contract_end": DATE, "returned_on": DATE, "covers": TEXT, "comment": TEXT}


class ExternalProjectForm(forms.ModelForm):
    total_budget = KronorField(label="Projektets budget (kr)")
    total_budget_eur = KronorField(label="Projektets budget (euro, om finansiären räknar i euro)",
                                   required=False)  # fmt: skip
    co_financing_cash = KronorField(label="Nämndens medfinansiering, kontant (kr)")
    co_financing_in_kind = KronorField(label="Nämndens medfinansiering, i form av arbete (kr)")
    role = forms.ChoiceField(label="Nämndens roll", choices=FundingRole.choices)

    class Meta:
        model = ExternalProject
        fields = [
            "name", "funder", "role", "starts", "ends", "total_budget", "total_budget_eur",
            "co_financing_cash", "co_financing_in_kind", "responsible", "reporting_dates",
            "description",
        ]  # fmt: skip
        widgets = {"starts": DATE, "ends": DATE, "description": TEXT}


class GrantApplicationForm(forms.Form):
    name = forms.CharField(label="Namn på insatsen", max_length=200)
    grantor = forms.CharField(label="Bidragsgivare", max_length=200)
    regulation = forms.CharField(label="Regleras i", max_length=200, required=False)
    starts = forms.DateField(label="Period från", widget=DATE)
    ends = forms.DateField(label="Period till", widget=DATE)
    amount_sought = KronorField(label="Sökt belopp (kr)")
    contact = forms.CharField(label="Kontaktperson", max_length=200, required=False)


class GrantLineForm(forms.Form):
    kind = forms.ChoiceField(label="Typ", required=False)
    text = forms.CharField(label="Beskrivning", max_length=300, required=False)
    amount = KronorField(label="Belopp (kr)", required=False)

    def __init__(self, *args, side: str, row: int, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = GrantLine.COST_KINDS if side == "cost" else GrantLine.FINANCING_KINDS
        self.fields["kind"].choices = [("", "(tom rad)"), *kinds]
        self.side = side
        what = "Kostnad" if side == "cost" else "Finansiering"
        for field in self.fields.values():  # the table cells have no <label> of their own
            field.widget.attrs["aria-label"] = f"{what} rad {row}: {field.label.lower()}"

    def clean(self):
        d = super().clean()
        if d.get("kind") and d.get("amount") is None:
            self.add_error("amount", "Ange beloppet.")
        if d.get("amount") is not None and not d.get("kind"):
            self.add_error("kind", "Välj vilken typ av post beloppet är.")
        return d

    @property
    def line(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("kind"):
            return None
        return {"side": self.side, "kind": d["kind"], "text": d["text"], "amount": d["amount"]}


class IopAgreementForm(forms.ModelForm):
    class Meta:
        model = IopAgreement
        fields = [
            "name", "partner", "purpose", "starts", "ends", "payment_schedule",
            "steering_group", "evaluation",
        ]  # fmt: skip
        widgets = {
            "starts": DATE, "ends": DATE, "purpose": TEXT, "steering_group": TEXT,
            "evaluation": TEXT,
        }  # fmt: skip


class IopYearForm(forms.Form):
    amount = KronorField(label="Kommunens medel (kr)", required=False)
    partner_contribution = forms.CharField(
        label="Partens egen insats", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    follow_up = forms.CharField(
        label="Uppföljning mot målen", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
