"""Attachments over REST: ``/api/v1/attachments/<subject>/<id>/``, the same service as the
staff form (type and size checked once, in ``attachments.attachment_add``): a bad file is
a 400 with the field's message, a subject out of scope a 404."""

from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from workarea.attachments import SUBJECTS, attachment_add, attachments_visible_to, subject_visible
from workarea.models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, attached) -> str:
        return reverse("staff:attachment-file", args=[attached.token])


class AttachmentUpload(serializers.Serializer):
    file = serializers.FileField(required=False)


class AttachmentsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]
    serializer_class = AttachmentSerializer

    def get(self, request, subject_type: str, subject_id: int):
        if not subject_visible(user=request.user, subject_type=subject_type, subject_id=subject_id):
            raise Attachment.DoesNotExist
        files = attachments_visible_to(request.user, subject_type, subject_id)
        return Response(AttachmentSerializer(files, many=True).data)

    def post(self, request, subject_type: str, subject_id: int):
        if subject_type not in SUBJECTS:
            raise Attachment.DoesNotExist
        attached = attachment_add(
            actor=request.user,
            subject_type=subject_type,
            subject_id=subject_id,
            file=request.FILES.get("file"),
        )
        return Response(AttachmentSerializer(attached).data, status=status.HTTP_201_CREATED)
