"""File dialogs start in the folder used last, else the user's documents; never the app's data."""

from desktop_app.ui.file_dialogs import documents_folder, start_folder


def test_the_last_folder_while_it_exists_else_documents(tmp_path, qapp):
    assert start_folder(str(tmp_path)) == str(tmp_path)
    assert start_folder(str(tmp_path / "拔掉的U盘")) == documents_folder()
    assert start_folder(None) == documents_folder() != ""
