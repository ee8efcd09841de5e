//! The Luhn check used by RPPS and FINESS numbers.

/// True when `digits` (ASCII digits only) passes the Luhn check, its last
/// digit being the check digit.
pub(crate) fn is_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The digit that makes `body` followed by it pass the Luhn check.
pub(crate) fn check_digit(body: &[u8]) -> u8 {
    (0..=9u8)
        .find(|d| {
            let mut full = body.to_vec();
            full.push(b'0' + d);
            is_valid(&full)
        })
        .map_or(b'0', |d| b'0' + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        assert!(is_valid(b"79927398713"));
        assert!(!is_valid(b"79927398710"));
        assert_eq!(check_digit(b"7992739871"), b'3');
    }
}
