/// Postman's dynamic variables that the client generates anew for each use: those that need no
/// data table.
pub const GENERATED_DYNAMIC: &[&str] = &[
    "$guid",
    "$randomUUID",
    "$timestamp",
    "$isoTimestamp",
    "$randomInt",
    "$randomBoolean",
    "$randomAlphaNumeric",
    "$randomPhoneNumber",
    "$randomPhoneNumberExt",
    "$randomHexColor",
    "$randomIP",
    "$randomMACAddress",
    "$randomPassword",
    "$randomLatitude",
    "$randomLongitude",
    "$randomBankAccount",
    "$randomCreditCardMask",
    "$randomPrice",
    "$randomSemver",
];

/// Postman's dynamic variables drawn from its data tables (names, companies, places, words):
/// the client sends this fixed value for each, and the generator warns where one is used.
pub const FIXED_DYNAMIC: &[(&str, &str)] = &[
    ("$randomFirstName", "Jane"),
    ("$randomLastName", "Doe"),
    ("$randomFullName", "Jane Doe"),
    ("$randomUserName", "jane.doe"),
    ("$randomEmail", "jane.doe@example.com"),
    ("$randomExampleEmail", "jane.doe@example.com"),
    ("$randomCompanyName", "Example Inc"),
    ("$randomJobTitle", "Engineer"),
    ("$randomStreetAddress", "1 Example Street"),
    ("$randomCity", "Springfield"),
    ("$randomCountry", "Exampleland"),
    ("$randomCountryCode", "EX"),
    ("$randomUrl", "https://example.com"),
    ("$randomDomainName", "example.com"),
    ("$randomWord", "example"),
    ("$randomWords", "example words"),
    ("$randomLoremSentence", "Lorem ipsum dolor sit amet."),
    ("$randomCurrencyCode", "USD"),
    ("$randomProductName", "Example Product"),
    ("$randomColor", "blue"),
];
