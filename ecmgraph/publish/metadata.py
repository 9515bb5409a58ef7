"""The one metadata block of a published site: its title, description, publisher, licences and attribution.

Every page footer, the schema.org ``Dataset`` of the index page, the VoID and DCAT descriptions and the dumps'
own description read it from here, so that they cannot disagree. The licences are those of LICENSE-DATA.md:
ecmgraph's own work under CC BY 4.0, England's reference data and the legislation identifiers under the Open
Government Licence v3.0, the source documents' excerpts under their own terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecmgraph.namespaces import BASE

#: ecmgraph's home: its base IRI without the closing slash.
HOME = BASE.rstrip("/")


@dataclass(frozen=True)
class Licence:
    """A licence the published data is under, and what it covers."""

    name: str
    url: str
    covers: str


@dataclass(frozen=True)
class SiteMetadata:
    """What a published site says about itself; the defaults describe ecmgraph's packaged data."""

    title: str = "ecmgraph: responsibility for children's services in English local government"
    description: str = (
        "Who is responsible for children's services in English local government, as the Children Act 2004 and "
        "its statutory guidance set it out: authorities, statutory posts, bodies, the law, functions and the "
        "accountability lines between them, every fact traced to its source paragraph."
    )
    publisher: str = "ecmgraph developers"
    homepage: str = HOME
    language: str = "en"
    keywords: tuple[str, ...] = (
        "children's services",
        "local government",
        "Children Act 2004",
        "Every Child Matters",
        "linked data",
    )
    licences: tuple[Licence, ...] = field(
        default=(
            Licence(
                "CC BY 4.0",
                "https://creativecommons.org/licenses/by/4.0/",
                "ecmgraph's own work: its identifiers, modelling, labels, descriptions and notes",
            ),
            Licence(
                "Open Government Licence v3.0",
                "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
                "England's reference data (ONS) and the legislation identifiers and titles (legislation.gov.uk)",
            ),
        )
    )
    attribution: str = (
        'ecmgraph developers, "ecmgraph: responsibility for children\'s services in English local government", '
        f"{HOME}. Contains data from the Office for National Statistics licensed under the Open "
        "Government Licence v3.0; contains public sector information licensed under the Open Government Licence "
        "v3.0 (legislation.gov.uk)."
    )
    excerpts: str = (
        "Excerpts from the source documents keep the terms of each document and are not licensed by ecmgraph."
    )

    @property
    def licence(self) -> Licence:
        """The main licence: the first of :attr:`licences`."""
        return self.licences[0]


#: The metadata of a site published from ecmgraph's data.
DEFAULT_METADATA = SiteMetadata()
