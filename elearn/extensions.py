"""Flask extensions, created unbound and bound to the app in create_app."""

from typing import TYPE_CHECKING

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from elearn.db import Base

# Objects stay readable after the one commit per request (no reload queries).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

# The models' base class. At run time it is db.Model (Base plus Flask-SQLAlchemy's table names
# and engine binding); mypy cannot use an instance attribute as a base class, so it sees Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
compress = Compress()
