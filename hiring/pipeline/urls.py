"""The pipeline's pages: requisitions and their boards, the candidate list, a candidate."""

from django.urls import path

from hiring.pipeline.views import candidate, candidate_add, candidates, requisitions, resumes

requisition_urls = (
    [
        path("", requisitions.requisition_list, name="list"),
        path("new/", requisitions.requisition_new, name="new"),
        path("level-options/", requisitions.level_options, name="level-options"),
        path("<int:pk>/edit/", requisitions.requisition_edit, name="edit"),
        path("<int:pk>/stages/", requisitions.stage_editor, name="stages"),
        path("<int:pk>/board/", requisitions.board, name="board"),
        path("<int:pk>/board/move/", requisitions.board_move, name="move"),
        path("<int:pk>/board/stages/<int:stage_pk>/cards/", requisitions.board_cards, name="cards"),
    ],
    "requisitions",
)
candidate_list_urls = (
    [
        path("", candidates.candidate_list, name="list"),
        path("export.csv", candidates.candidate_export, name="export"),
        path("requisition-options/", candidates.requisition_options, name="requisition-options"),
    ],
    "candidates",
)
candidate_urls = (
    [
        path("new/", candidate_add.candidate_new, name="new"),
        path(
            "new/requisition-options/",
            candidate_add.requisition_options,
            name="requisition-options",
        ),
        path("import/", candidate_add.candidate_import, name="import"),
        path("import/template.csv", candidate_add.import_template_csv, name="import-template"),
        path("<int:pk>/", candidate.candidate_detail, name="detail"),
        path("<int:pk>/timeline/", candidate.candidate_timeline, name="timeline"),
        path("<int:pk>/notes/", candidate.note_create, name="note-add"),
        path("<int:pk>/merge/", candidate.candidate_merge_view, name="merge"),
        path("<int:pk>/resume/", resumes.resume_download, name="resume"),
        path("<int:pk>/resume/preview/", resumes.resume_preview, name="resume-preview"),
        path("<int:pk>/applications/", candidate.application_add, name="application-add"),
        path("<int:pk>/applications/options/", candidate.add_options, name="add-options"),
        path(
            "<int:pk>/applications/<int:application_id>/move/",
            candidate.application_move,
            name="move",
        ),
        path(
            "<int:pk>/applications/<int:application_id>/end/", candidate.application_end, name="end"
        ),
        path(
            "<int:pk>/applications/<int:application_id>/reopen/",
            candidate.application_reopen,
            name="reopen",
        ),
    ],
    "candidate",
)
