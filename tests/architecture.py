"""A contract type of our own for import-linter (pyproject.toml, [tool.importlinter]).

"Pure" modules hold rules as plain functions: scoring, business time, the band check, the team
plan, the status transition maps. They must not reach the ORM, directly or through another
module of ours. import-linter sees `django` as one external package, so this contract reads
the import lines themselves: a module "uses the ORM" when one of its imports names
`django.db` or the user model.
"""

from __future__ import annotations

from typing import Any

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

ORM_MARKERS = ("django.db", "django.contrib.auth.models", "get_user_model")


class NoOrmContract(Contract):
    type_name = "no_orm"
    modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        uses_orm = {
            module
            for module in graph.modules
            if not graph.is_module_squashed(module)
            and any(
                marker in detail["line_contents"]
                for imported in ("django",)
                if graph.direct_import_exists(importer=module, imported=imported)
                for detail in graph.get_import_details(importer=module, imported=imported)
                for marker in ORM_MARKERS
            )
        }
        broken = []
        for module in self.modules:  # type: ignore[attr-defined]
            reached = ({module} | graph.find_upstream_modules(module)) & uses_orm
            for target in sorted(reached):
                chain = (
                    (module,)
                    if target == module
                    else graph.find_shortest_chain(importer=module, imported=target)
                )
                broken.append({"module": module, "via": list(chain)})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            output.print_error(f"{item['module']} reaches the ORM: {' -> '.join(item['via'])}")
            output.new_line()
