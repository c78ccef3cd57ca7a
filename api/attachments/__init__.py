"""Case attachments endpoints."""
