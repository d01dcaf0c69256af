"""The words of a web page's own interface, in the languages the web is written in (data only).

Buttons, widgets, forms, menus and notices use a small vocabulary that an article's prose rarely leans on:
"comment", "share", "newsletter", "Anmelden", "drukuj", "suscríbete". A line made mostly of these words is likely
page furniture; `repair.pagelines` counts them as one signal among many (one word alone decides nothing). Written
from the interfaces of common site engines, not from any labelled page.
"""

from __future__ import annotations

UI_WORDS = frozenset("""
menu home search login logout log sign register account profile subscribe subscription subscribers newsletter
newsletters share shares shared tweet email e-mail print comment comments reply replies post posts posted
cookie cookies privacy imprint contact advertise advertising sitemap rss feed faq help jobs shop tags tag
category categories archive archives navigation skip toggle close open next previous prev older newer more
read related recommended popular trending latest recent topics podcast podcasts video videos gallery photos
follow followers facebook twitter instagram youtube linkedin whatsapp pinterest telegram xing reddit
terms conditions copyright rights reserved policy settings consent accept login download app apps
premium plus abo abonnieren abonnent abonnenten abonnement anmelden abmelden registrieren einloggen ausloggen
suche suchen startseite kontakt impressum datenschutz datenschutzerklärung teilen geteilt drucken versenden
merken kommentar kommentare kommentieren antworten antwort beitrag beiträge artikel weiterlesen lesen mehr
zurück weiter vorheriger nächster vorherige nächste themen thema ressorts newsletter verlagsangebote
gutschein gutscheine anzeige werbung mediathek empfehlen weiterempfehlen zugang einstellungen
accueil rechercher recherche connexion connecter inscription inscrire abonner abonnez abonnement partager
imprimer commentaire commentaires répondre lire suite suivant précédent articles mentions légales
confidentialité publicité contactez
inicio buscar búsqueda iniciar sesión registrarse regístrate suscríbete suscribirse suscripción compartir
imprimir comentario comentarios responder leer más siguiente anterior noticias relacionadas publicidad
contacto aviso legal privacidad
cerca accedi registrati iscriviti abbonati condividi stampa commenta commento commenti rispondi leggi
successivo precedente articoli correlati pubblicità contatti
szukaj zaloguj wyloguj zarejestruj subskrybuj udostępnij drukuj komentarz komentarze komentuj odpowiedz
czytaj więcej następny poprzedni artykuły powiązane reklama kontakt polecamy
pesquisar entrar cadastre assine assinar compartilhe compartilhar comentário comentários responder leia
próximo anterior notícias relacionadas publicidade contato
поиск войти регистрация подписаться поделиться печать комментарий комментарии ответить читать далее
следующая предыдущая статьи реклама контакты
donate unsubscribe bookmark bookmarks permalink trackback pingback signin signup sign-up e-paper epaper webinar
webinars mastodon flipboard tiktok
anmeldung registrierung merkliste pinnen twittern bildergalerie fotostrecke livestream liveticker newsticker rubriken
ressort leserbriefe leserkommentare datenschutzhinweise cookie-einstellungen nutzungsbedingungen agb
barrierefreiheit kontaktformular newsletter-anmeldung meistgelesen meistgelesene
abonnés s'abonner connectez-vous identifiez-vous partagez tweeter commenter réagir diaporama rubriques cgu cgv
suscriptores boletín comparte comentar síguenos hemeroteca fotogalería galería
abbonamento seguici galleria fotogallery videogallery registrazione
rejestracja skomentuj obserwuj prenumerata subskrypcja regulamin
assinante assinatura inscreva-se cadastre-se siga-nos termos privacidade
подписка рассылка зарегистрироваться комментировать подписывайтесь галерея
""".split())
