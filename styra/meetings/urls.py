"""Web pages of meetings (included by styra/urls.py).

Secretary: sammantraden/…, arenden/…, delegation/; justerare: justering/; the public part
without login: offentligt/…; the OParl 1.1 API: oparl/… (its object type names are the
standard's, not Swedish).
"""

from django.urls import path

from styra.web import access

from . import views

urlpatterns = [
    path("sammantraden/", views.meeting_list, name="meetings_list"),
    path("sammantraden/<int:meeting_id>/", views.meeting_detail, name="meetings_detail"),
    path(
        "sammantraden/<int:meeting_id>/punkter/", views.meeting_item_add, name="meetings_item_add"
    ),
    path("punkter/<int:item_id>/", views.agenda_item, name="meetings_item"),
    path(
        "sammantraden/<int:meeting_id>/handlingar/",
        views.meeting_upload,
        name="meetings_upload",
    ),
    path(
        "handlingar/<int:document_id>/ta-bort/",
        views.document_delete,
        name="meetings_document_delete",
    ),
    path("sammantraden/<int:meeting_id>/kallelse/", views.meeting_notice, name="meetings_notice"),
    path(
        "sammantraden/<int:meeting_id>/protokoll/",
        views.meeting_protocol,
        name="meetings_protocol",
    ),
    path(
        "sammantraden/<int:meeting_id>/narvaro/",
        views.meeting_attendance,
        name="meetings_attendance",
    ),
    path(
        "sammantraden/<int:meeting_id>/justerare/",
        views.meeting_adjusters,
        name="meetings_adjusters",
    ),
    path("sammantraden/<int:meeting_id>/anslag/", views.meeting_anslag, name="meetings_anslag"),
    path(
        "sammantraden/<int:meeting_id>/publicera/", views.meeting_publish, name="meetings_publish"
    ),
    path(
        "sammantraden/<int:meeting_id>/expediering/",
        views.meeting_dispatch,
        name="meetings_dispatch",
    ),
    path("sammantraden/<int:meeting_id>/justera/", views.meeting_approve, name="meetings_approve"),
    path("paragrafer/<int:paragraph_id>/", views.paragraph_edit, name="meetings_paragraph"),
    path(
        "paragrafer/<int:paragraph_id>/omrostning/",
        views.paragraph_vote,
        name="meetings_vote",
    ),
    path("sammantraden/<int:meeting_id>/upprop/", views.roll_call, name="meetings_roll_call"),
    path("justering/", views.approvals, name="meetings_approvals"),
    path("mina-sammantraden/", views.member_meetings, name="member_meetings"),
    path("mina-sammantraden/<int:meeting_id>/", views.member_meeting, name="member_meeting"),
    path("handlingar/<int:document_id>/", views.document_download, name="meetings_document"),
    path("arenden/", views.case_list, name="meetings_cases"),
    path("arenden/<int:case_id>/", views.case_detail, name="meetings_case"),
    path("delegation/", views.delegation, name="meetings_delegation"),
    path("namnden/", views.committees, name="meetings_committees"),
    path("namnden/<int:node_id>/ledamoter/", views.roster, name="meetings_roster"),
    path(
        "namnden/<int:node_id>/sammantradesordning/",
        views.meeting_calendar,
        name="meetings_calendar",
    ),
    path(
        "namnden/<int:node_id>/delegationsordning/",
        views.delegation_scheme,
        name="meetings_delegation_scheme",
    ),
    path("offentligt/", views.public_index, name="public_index"),
    path("offentligt/sammantrade/<int:meeting_id>/", views.public_meeting, name="public_meeting"),
    path(
        "offentligt/handling/<int:document_id>/<str:filename>",
        views.public_document,
        name="public_document",
    ),
    path("oparl/", views.oparl_system, name="oparl_system"),
    path("oparl/body/", views.oparl_bodies, name="oparl_bodies"),
    path("oparl/body/<int:body_id>/<str:list_name>/", views.oparl_list, name="oparl_list"),
    path("oparl/<str:object_type>/<int:object_id>/", views.oparl_object, name="oparl_object"),
]

NAV = [
    ("meetings_list", "Sammanträden", access.MEETINGS),
    ("meetings_cases", "Ärenden", access.MEETINGS),
    ("meetings_committees", "Nämnden", access.MEETINGS),
    ("member_meetings", "Mina sammanträden", access.VIEW),
    ("meetings_approvals", "Justering", access.VIEW),
    # unit managers register their decisions; the secretary reads and registers them too
    ("meetings_delegation", "Delegationsbeslut", (access.EDIT, access.MEETINGS)),
]
