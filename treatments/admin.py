from django.contrib import admin

from netinfo.admin import REVIEW_FIELDSET, ContentAdmin
from treatments.models import Drug, Treatment, TreatmentType, TreatmentUse


@admin.register(TreatmentType)
class TreatmentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class TreatmentUseInline(admin.TabularInline):
    model = TreatmentUse
    extra = 0
    autocomplete_fields = ("site",)


@admin.register(Treatment)
class TreatmentAdmin(ContentAdmin):
    list_display = ("name", "type", "state", "last_reviewed", "next_review_due")
    list_filter = ("state", "type")
    search_fields = ("name", "other_names", "summary")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TreatmentUseInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "type", "order", "summary", "other_names")}),
        (
            "What patients read",
            {
                "fields": (
                    "what_it_is",
                    "how_you_have_it",
                    "what_it_can_do",
                    "side_effects",
                    "questions",
                )
            },
        ),
        REVIEW_FIELDSET,
    )


@admin.register(Drug)
class DrugAdmin(admin.ModelAdmin):
    list_display = ("generic_name", "brand_names")
    search_fields = ("generic_name", "brand_names")
    prepopulated_fields = {"slug": ("generic_name",)}
    filter_horizontal = ("treatments",)
