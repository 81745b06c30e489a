"""Interface strings in French and English, and choosing a visitor's language."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from .content.model import LText

FALLBACK = "en"

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to content",
        "lobby": "Lobby",
        "agenda": "Agenda",
        "main_nav": "Main",
        "languages": "Languages",
        "language_name": "English",
        "contact": "Contact:",
        "floor_plan": "Floor plan",
        "floor_plan_hint": "Each room is listed with the rooms its doors open onto.",
        "rooms": "Rooms",
        "room": "Room",
        "stage": "Stage",
        "exhibits_count_0": "no exhibit",
        "exhibits_count_1": "1 exhibit",
        "exhibits_count_n": "{n} exhibits",
        "doors_to": "Doors to:",
        "no_doors": "no door",
        "doors": "Doors",
        "entrance": "Entrance",
        "start_visit": "Start the visit",
        "see_agenda": "See the agenda",
        "exhibits": "Exhibits",
        "no_exhibits": "No exhibit stands in this room yet.",
        "previous_room": "Previous room",
        "next_room": "Next room",
        "previous_exhibit": "Previous exhibit",
        "next_exhibit": "Next exhibit",
        "walk": "Walk through the exhibition",
        "back_to_room": "Back to the room",
        "keyboard": "Keyboard shortcuts",
        "keyboard_prev": "Left arrow: previous",
        "keyboard_next": "Right arrow: next",
        "keyboard_note": "Shortcuts work when focus is not in a form field.",
        "organisation": "Organisation",
        "team": "Team",
        "mentors": "Mentors",
        "documents": "Documents",
        "links": "Links",
        "video": "Video",
        "video_fallback": "Your browser cannot play this video; download it:",
        "download_video": "the video file",
        "embed_notice": "This video is hosted by {host}. Loading it sends a request to that site.",
        "embed_load": "Load the video from {host}",
        "embed_open": "Watch it on {host}",
        "embed_title": "Video: {title}",
        "tags": "Tags",
        "live": "Live",
        "agenda_title": "Agenda",
        "agenda_empty": "No session is planned.",
        "times_in": "Times are shown in the {zone} time zone.",
        "speakers": "Speakers",
        "where": "Where:",
        "about_exhibit": "About:",
        "watch_stream": "Stream:",
        "not_found": "Page not found",
        "not_found_text": "There is no such page in this exhibition. It may have moved.",
        "go_lobby": "Go to the lobby",
        "in_this_room": "In this room",
        "you_are_here": "Current page",
        "opens": "Open from {start} to {end}.",
        "size_b": "{n} bytes",
        "size_kb": "{n} KB",
        "size_mb": "{n} MB",
        "size_gb": "{n} GB",
        "document_meta": "{type}, {size}",
        "external": "(external site)",
        "exhibit_image": "Image",
        "breadcrumb": "Breadcrumb",
        "room_pagination": "Rooms",
        "exhibit_pagination": "Exhibits",
        "presence": "Who is here",
        "about_project": "About this project",
        # The Demo Day stage, its banner and the agenda's marks.
        "live_banner": "Live now",
        "join_stage": "Join the stage",
        "on_now": "On now",
        "up_next": "Up next",
        "starts_at": "Starts at {time}",
        "phase_past": "Over",
        "phase_live": "Live now",
        "phase_next": "Next",
        "phase_later": "Later",
        "watch_replay": "Watch the replay",
        "replay": "Replay",
        "replay_of": "Replay: {title}",
        "pitched": "Project on stage",
        "stage_programme": "Programme of this stage",
        "stage_idle": "Nothing is on this stage at the moment.",
        "stage_over": "The programme of this stage is over. Replays are listed below.",
        "stream_open": "Open the stream",
        "stream_none": "This session is not streamed online.",
        "countdown_n": "Starts in {n} minutes",
        "countdown_1": "Starts in 1 minute",
        "countdown_0": "Starting now",
        "about_stage": "About this stage",
        "session_time": "{starts} to {ends}",
    },
    "fr": {
        "skip": "Aller au contenu",
        "lobby": "Accueil",
        "agenda": "Programme",
        "main_nav": "Principale",
        "languages": "Langues",
        "language_name": "Français",
        "contact": "Contact :",
        "floor_plan": "Plan de l’exposition",
        "floor_plan_hint": "Chaque salle est suivie des salles sur lesquelles ses portes ouvrent.",
        "rooms": "Salles",
        "room": "Salle",
        "stage": "Scène",
        "exhibits_count_0": "aucun projet",
        "exhibits_count_1": "1 projet",
        "exhibits_count_n": "{n} projets",
        "doors_to": "Portes vers :",
        "no_doors": "aucune porte",
        "doors": "Portes",
        "entrance": "Entrée",
        "start_visit": "Commencer la visite",
        "see_agenda": "Voir le programme",
        "exhibits": "Projets exposés",
        "no_exhibits": "Aucun projet n’est encore exposé dans cette salle.",
        "previous_room": "Salle précédente",
        "next_room": "Salle suivante",
        "previous_exhibit": "Projet précédent",
        "next_exhibit": "Projet suivant",
        "walk": "Parcourir l’exposition",
        "back_to_room": "Retour à la salle",
        "keyboard": "Raccourcis clavier",
        "keyboard_prev": "Flèche gauche : précédent",
        "keyboard_next": "Flèche droite : suivant",
        "keyboard_note": "Les raccourcis fonctionnent hors des champs de formulaire.",
        "organisation": "Organisation",
        "team": "Équipe",
        "mentors": "Mentors",
        "documents": "Documents",
        "links": "Liens",
        "video": "Vidéo",
        "video_fallback": "Votre navigateur ne peut pas lire cette vidéo ; téléchargez-la :",
        "download_video": "le fichier vidéo",
        "embed_notice": (
            "Cette vidéo est hébergée par {host}. La charger envoie une requête à ce site."
        ),
        "embed_load": "Charger la vidéo depuis {host}",
        "embed_open": "La regarder sur {host}",
        "embed_title": "Vidéo : {title}",
        "tags": "Mots-clés",
        "live": "En direct",
        "agenda_title": "Programme",
        "agenda_empty": "Aucune session n’est prévue.",
        "times_in": "Les horaires sont indiqués dans le fuseau {zone}.",
        "speakers": "Intervenants",
        "where": "Lieu :",
        "about_exhibit": "À propos de :",
        "watch_stream": "Diffusion :",
        "not_found": "Page introuvable",
        "not_found_text": (
            "Cette page n’existe pas dans l’exposition. Elle a peut-être été déplacée."
        ),
        "go_lobby": "Aller à l’accueil",
        "in_this_room": "Dans cette salle",
        "you_are_here": "Page actuelle",
        "opens": "Ouverte du {start} au {end}.",
        "size_b": "{n} octets",
        "size_kb": "{n} ko",
        "size_mb": "{n} Mo",
        "size_gb": "{n} Go",
        "document_meta": "{type}, {size}",
        "external": "(site externe)",
        "exhibit_image": "Image",
        "breadcrumb": "Fil d’Ariane",
        "room_pagination": "Salles",
        "exhibit_pagination": "Projets",
        "presence": "Qui est là",
        "about_project": "À propos du projet",
        # La scène du Demo Day, son bandeau et les repères du programme.
        "live_banner": "En direct",
        "join_stage": "Rejoindre la scène",
        "on_now": "En ce moment",
        "up_next": "À suivre",
        "starts_at": "Commence à {time}",
        "phase_past": "Terminé",
        "phase_live": "En direct",
        "phase_next": "À suivre",
        "phase_later": "Plus tard",
        "watch_replay": "Voir le replay",
        "replay": "Replay",
        "replay_of": "Replay : {title}",
        "pitched": "Projet sur scène",
        "stage_programme": "Programme de cette scène",
        "stage_idle": "Rien n’est à l’affiche de cette scène pour le moment.",
        "stage_over": (
            "Le programme de cette scène est terminé. Les replays sont listés ci-dessous."
        ),
        "stream_open": "Ouvrir le flux",
        "stream_none": "Cette session n’est pas diffusée en ligne.",
        "countdown_n": "Commence dans {n} minutes",
        "countdown_1": "Commence dans 1 minute",
        "countdown_0": "Ça commence",
        "about_stage": "À propos de cette scène",
        "session_time": "de {starts} à {ends}",
    },
}


def ui_language(lang: str) -> str:
    """Return the catalogue language used for page language `lang`."""
    return lang if lang in CATALOGUE else FALLBACK


def gettext(lang: str, key: str, **values: object) -> str:
    """Return the interface string `key` in `lang`, formatted with `values`."""
    table = CATALOGUE[ui_language(lang)]
    text = table.get(key) or CATALOGUE[FALLBACK].get(key, key)
    return text.format(**values) if values else text


def best_language(accept: object, languages: Iterable[str], default: str) -> str:
    """Pick the visitor's language among `languages` from an Accept-Language header.

    `accept` is werkzeug's LanguageAccept; "fr-FR" matches "fr" through its
    fallback to the primary tag.
    """
    match = accept.best_match(list(languages)) if accept is not None else None  # type: ignore[attr-defined]
    return match or default


def text_language(text: LText, lang: str) -> str:
    """Return the language `text` will actually be shown in on a page in `lang`."""
    if text.has(lang):
        return lang
    if text.has(text.default):
        return text.default
    return text.languages[0] if text.languages else lang


def ltext(text: LText | None, lang: str) -> str:
    """Return `text` in `lang` (with fallback) as a plain string."""
    return text.get(lang) if text else ""


def _marked(text: LText, lang: str, value: Markup, tag: str) -> Markup:
    """Return `value`, wrapped in `tag` with a `lang` attribute when `text` falls back."""
    shown = text_language(text, lang)
    if shown == lang:
        return value
    return Markup(f'<{tag} lang="{escape(shown)}">') + value + Markup(f"</{tag}>")


def ltext_markup(text: LText | None, lang: str, block: bool = False) -> Markup:
    """Return `text` escaped, wrapped in an element with `lang` when it falls back."""
    if not text:
        return Markup("")
    return _marked(text, lang, escape(text.get(lang)), "div" if block else "span")


def lhtml(text: LText | None, lang: str) -> Markup:
    """Return sanitised HTML from the model, wrapped with `lang` when it falls back."""
    if not text:
        return Markup("")
    # The loader sanitised this HTML with nh3; it is safe to mark as such.
    return _marked(text, lang, Markup(text.get(lang)), "div")
