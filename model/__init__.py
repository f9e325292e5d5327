"""fatal-remedies: control-oriented versus service-oriented benefit administration.

The public Python API::

    from fatal_remedies.model import load_scenario, simulate, BenefitModel, REGISTRY
    frame = simulate("control", clients=10_000, months=120, seed=1)
"""

from .. import __version__  # noqa: F401
from .errors import UserError  # noqa: E402
from .params import REGISTRY, Param, ParamError  # noqa: E402
from .scenario import Scenario, ScenarioError, list_scenarios, load_scenario  # noqa: E402

__all__ = [
    "REGISTRY", "Param", "ParamError", "Scenario", "ScenarioError", "UserError",
    "list_scenarios", "load_scenario", "simulate", "BenefitModel", "__version__",
]


def __getattr__(name):
    # The model and runner import scikit-learn and mesa; keep `import model`
    # cheap for the CLI's fast paths (scenarios, params) and for the registry.
    if name == "simulate":
        from .run import simulate
        return simulate
    if name == "BenefitModel":
        from .model import BenefitModel
        return BenefitModel
    raise AttributeError(name)
