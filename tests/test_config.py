"""Settings come in layers: defaults, instance/config.py, FACILITATE_* environment, then test overrides."""

from __future__ import annotations

from facilitate import create_app


def make(tmp_path, monkeypatch, environment=None, overrides=None, instance_config=None):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    if instance_config:
        (instance / "config.py").write_text(instance_config)
    for name in (
        "FACILITATE_DATABASE_URL",
        "FACILITATE_MESSAGE_QUEUE",
        "FACILITATE_SECRET_KEY",
        "FACILITATE_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FACILITATE_INSTANCE_PATH", str(instance))
    for name, value in (environment or {}).items():
        monkeypatch.setenv(name, value)
    return create_app(overrides)


def test_defaults_put_everything_in_the_instance_folder(tmp_path, monkeypatch):
    app = make(tmp_path, monkeypatch)
    assert app.instance_path == str(tmp_path / "instance")
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path / 'instance' / 'facilitate.db'}"
    )
    assert app.config["SECRET_KEY"] == (tmp_path / "instance" / "secret_key").read_text()
    assert app.config["MESSAGE_QUEUE"] is None
    assert app.config["ASYNC_MODE"] == "threading"
    again = make(tmp_path, monkeypatch)
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept across starts


def test_instance_config_then_environment_then_overrides(tmp_path, monkeypatch):
    instance_config = 'BASE_URL = "https://from-file.example.org/"\nSECRET_KEY = "from-file"\nNOTES_PER_MINUTE = 7\n'
    app = make(tmp_path, monkeypatch, instance_config=instance_config)
    assert (app.config["BASE_URL"], app.config["SECRET_KEY"], app.config["NOTES_PER_MINUTE"]) == (
        "https://from-file.example.org",
        "from-file",
        7,
    )
    app = make(
        tmp_path,
        monkeypatch,
        instance_config=instance_config,
        environment={
            "FACILITATE_BASE_URL": "https://from-env.example.org",
            "FACILITATE_SECRET_KEY": "from-env",
            "FACILITATE_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}",
            "FACILITATE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/13",
        },
    )
    assert app.config["BASE_URL"] == "https://from-env.example.org"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'other.db'}"
    assert app.config["MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/13"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/13"
    assert app.config["NOTES_PER_MINUTE"] == 7  # the file still fills what the environment leaves
    app = make(
        tmp_path,
        monkeypatch,
        instance_config=instance_config,
        environment={"FACILITATE_SECRET_KEY": "from-env"},
        overrides={"SECRET_KEY": "from-test"},
    )
    assert app.config["SECRET_KEY"] == "from-test"


def test_instance_path_moves_with_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATE_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("FACILITATE_DATABASE_URL", raising=False)
    app = create_app()
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "secret_key").exists()
