import type { XmppKey } from "./en.js";

export const pl = {
  "refusal.no-such-invite": "Takie zaproszenie nie istnieje.",
  "refusal.expired": "To zaproszenie wygasło.",
  "refusal.revoked": "To zaproszenie zostało cofnięte.",
  "refusal.used": "To zaproszenie zostało już wykorzystane.",
  "refusal.wrong-use":
    "{use, select, register {To zaproszenie nie pozwala zakładać kont.} reset {To zaproszenie nie pozwala resetować haseł.} other {To zaproszenie nie jest zaproszeniem do kontaktów.}}",
  "refusal.username-kept": "Nazwa użytkownika {username} jest zarezerwowana dla zaproszenia innej osoby; wybierz inną.",
  "refusal.wrong-account": "To zaproszenie dotyczy innego konta.",
  "refusal.uses-out-of-range": "Liczba użyć musi wynosić od 1 do {max, number}.",
  "refusal.reserved-name-single-use": "Zaproszenia rezerwującego nazwę użytkownika można użyć tylko raz.",
  "refusal.not-revocable": "Nie ma zaproszenia nr {id}, które możesz cofnąć.",
  "refusal.already-revoked": "Zaproszenie nr {id} jest już cofnięte.",
  "refusal.used-up": "Zaproszenie nr {id} zostało wyczerpane; nie ma już czego cofać.",
  "refusal.limit-active":
    "Masz już {max, plural, one {# aktywne zaproszenie} few {# aktywne zaproszenia} many {# aktywnych zaproszeń} other {# aktywnego zaproszenia}}; cofnij jedno albo poczekaj, aż któreś zostanie wykorzystane lub wygaśnie.",
  "refusal.limit-rate":
    "W ciągu ostatniej godziny utworzyłeś {max, plural, one {# zaproszenie} few {# zaproszenia} many {# zaproszeń} other {# zaproszenia}}; spróbuj później.",
  "refusal.not-local": "Tylko użytkownicy {host} mogą tutaj korzystać z zaproszeń.",
  "refusal.not-admin": "Tylko administratorzy mogą to zrobić.",
  "refusal.bad-username":
    "{field, select, contact {Kontakt} account {Konto} other {Nazwa użytkownika}} musi być prawidłową nazwą użytkownika na {host}.",
  "refusal.note-too-long":
    "Notatka może mieć najwyżej {max, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.",
  "refusal.ttl-out-of-range": "Czas ważności musi wynosić od 1 minuty do 365 dni.",
  "refusal.account-exists": "Konto {jid} już istnieje; wybierz inną nazwę użytkownika.",
  "refusal.no-account-to-reset": "Nie ma konta {jid}, które można by zresetować.",
  "refusal.no-contact-account": "Nie ma konta {jid}, z którym można by zostać kontaktem.",
  "storage.unavailable": "Porter nie może teraz zapisywać w swojej bazie danych; spróbuj później.",
  "signup.username-empty": "Wybierz nazwę użytkownika.",
  "signup.username-too-long":
    "Nazwa użytkownika może mieć najwyżej {max, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.",
  "signup.username-syntax":
    "Używaj tylko małych liter, cyfr, kropek, myślników i podkreślników; na początku i na końcu musi być litera lub cyfra.",
  "signup.username-taken": "Ta nazwa użytkownika jest już zajęta.",
  "signup.username-kept": "Ta nazwa użytkownika jest zarezerwowana dla osoby, która ma na nią zaproszenie. Wybierz inną.",
  "signup.password-too-short":
    "Hasło musi mieć co najmniej {min, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.",
  "signup.password-too-long":
    "Hasło może mieć najwyżej {max, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.",
  "signup.password-control": "Hasło zawiera znaki, których nie da się wpisać.",
  "signup.password-contains-username": "Hasło nie może zawierać nazwy użytkownika.",
  "signup.wrong-account": "To zaproszenie dotyczy innego konta.",
  "signup.confirmation-differs": "Hasła się różnią.",
  "register.instructions": "Wybierz nazwę użytkownika i hasło dla nowego konta na {host}.",
  "register.redirect": "Odwiedź {url}, aby zarejestrować konto na {host}.",
  "register.not-open": "Rejestracja tutaj nie jest dla Ciebie dostępna. {instructions}",
  "register.limited":
    "Zbyt wiele rejestracji przez Portera z {entry}; spróbuj ponownie za {minutes, plural, one {# minutę} few {# minuty} many {# minut} other {# minuty}}.",
  "register.no-removal": "Porter nie usuwa kont.",
  "register.unavailable": "Serwer nie mógł teraz utworzyć konta; spróbuj później.",
  "register.uncertain": "Serwer nie potwierdził utworzenia konta; spróbuj się na nie zalogować, a jeśli to się nie uda, zarejestruj się ponownie.",
  "register.failed": "Serwer nie utworzył konta.",
  "notice.joined": "{address} dołączył(a) dzięki Twojemu zaproszeniu nr {id}.",
  "notice.reset": "{address} ustawił(a) nowe hasło za pomocą Twojego zaproszenia nr {id}.",
  "notice.contact": "{address} jest teraz Twoim kontaktem dzięki zaproszeniu nr {id}.",
  "notice.note": "Twoja notatka: {note}",
} as const satisfies Record<XmppKey, string>;
