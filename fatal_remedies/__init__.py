"""fatal-remedies: control-oriented versus service-oriented benefit administration.

One import package with four rooms, each a folder at the top of the
repository (``model/``, ``scenarios/``, ``analysis/``, ``viz/``) installed as
``fatal_remedies.model`` and so on; ``docs/ARCHITECTURE.md`` says what each
room may import. The public Python API::

    from fatal_remedies.model import load_scenario, simulate, BenefitModel, REGISTRY
    frame = simulate("control", clients=10_000, months=120, seed=1)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fatal-remedies")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+src"

__all__ = ["__version__"]
