"""Editing treatments for clinical staff: the treatment, its drugs and where it is used, on one
form. Treatment and Drug keep ``search_fields``: the trial admin autocompletes on them."""

import datetime

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from netinfo.editorial.content_admin import REVIEW_FIELDSET, ContentAdmin
from treatments.models import Drug, Treatment, TreatmentType, TreatmentUse


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", "Due in the next 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + datetime.timedelta(days=30),
            )
        return queryset


@admin.register(TreatmentType)
class TreatmentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "treatment_count")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(treatment_count=Count("treatments"))

    @admin.display(description="Treatments", ordering="treatment_count")
    def treatment_count(self, obj):
        return obj.treatment_count


class TreatmentUseForm(forms.ModelForm):
    source_url = forms.URLField(
        label="Source link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A link to the source, if it has one.",
    )

    class Meta:
        model = TreatmentUse
        fields = ("site", "grade_from", "grade_to", "use", "note", "source", "source_url")
        labels = {"grade_from": "From grade", "grade_to": "To grade", "use": "How it is used"}
        help_texts = {
            "site": "Where the NET started.",
            "grade_from": "The lowest grade it is used for. For one grade only, make both "
            "the same.",
            "grade_to": "The highest grade it is used for.",
            "use": 'Licensed: the drug is licensed for this. "Only within a clinical trial": '
            'patients can only have it by joining a trial. "Ask your specialist": no source '
            "says how it is used here.",
            "note": "Optional. Plain words patients see in the table, e.g. NHS funding.",
            "source": "Where this row comes from: title, publisher and date. Shown in the table.",
        }


class TreatmentUseInline(admin.TabularInline):
    model = TreatmentUse
    form = TreatmentUseForm
    extra = 0
    autocomplete_fields = ("site",)
    verbose_name = "use (tumour site and grade)"
    verbose_name_plural = (
        "Where it is used: one row per tumour site and grade range. These rows make the "
        '"where it is used" table and the treatment lists on tumour site pages.'
    )


class DrugInline(admin.TabularInline):
    model = Drug.treatments.through
    extra = 0
    autocomplete_fields = ("drug",)
    verbose_name = "drug"
    verbose_name_plural = (
        "Drugs in this treatment. Their generic and brand names are shown on the page, and a "
        "search for any of them finds this treatment."
    )


@admin.register(Treatment)
class TreatmentAdmin(ContentAdmin):
    list_display = ("name", "type", "state", "last_reviewed", "review_due")
    list_filter = (*ContentAdmin.list_filter, "type", ReviewDueFilter)
    list_select_related = ("type",)
    search_fields = ("name", "other_names", "summary", "drugs__generic_name", "drugs__brand_names")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("type",)
    inlines = [DrugInline, TreatmentUseInline]
    fieldsets = (
        (
            None,
            {
                "fields": ("name", "slug", "type", "order", "summary", "other_names"),
                "description": "The name patients know it by. Put brand names and "
                "abbreviations in other names so a search for them finds this page.",
            },
        ),
        (
            "What patients read",
            {
                "fields": (
                    "what_it_is",
                    "how_you_have_it",
                    "what_it_can_do",
                    "side_effects",
                    "questions",
                ),
                "description": "Each part is shown under its own heading, in this order. "
                "Leave a part empty to leave it off the page. Short sentences, everyday words; "
                "glossary words are explained on the page for you.",
            },
        ),
        REVIEW_FIELDSET,
    )


@admin.register(Drug)
class DrugAdmin(admin.ModelAdmin):
    list_display = ("generic_name", "brand_names", "treatment_names")
    search_fields = ("generic_name", "brand_names")
    prepopulated_fields = {"slug": ("generic_name",)}
    autocomplete_fields = ("treatments",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("treatments")

    @admin.display(description="Treatments")
    def treatment_names(self, obj):
        return ", ".join(treatment.name for treatment in obj.treatments.all())
