from django.contrib import admin

from liaison.base.documents.models import DocumentSequence, IssuedDocument


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    list_display = ["issuer", "prefix", "year", "last_number", "region"]
    list_filter = ["year"]
    search_fields = ["issuer", "prefix", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "subject_type", "subject_id", "issued_at", "issued_by"]
    list_filter = ["kind"]
    list_select_related = ["sequence", "issued_by"]
    readonly_fields = [f.name for f in IssuedDocument._meta.fields]

    def has_add_permission(self, request):
        return False
