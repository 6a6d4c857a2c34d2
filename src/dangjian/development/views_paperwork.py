"""Downloads of each step's standard form as a pre-filled .docx."""

urlpatterns = []
